// The HTTP long-polling transport of the load client (Engine.IO v4, docs/protocol.md
// "Transports"): one keep-alive connection carries the GETs, each answered with the
// packets the server has for this session, the next GET sent as soon as an answer is
// read; a second keep-alive connection carries the POSTs, one at a time, each with every
// packet queued meanwhile. No upgrade: a polling-only client, as
// socket.io-client with `transports: ['polling']`.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "load/socketio_client.hpp"

namespace harmonic::bench {

class PollingClient final : public SocketIoClient {
 public:
  PollingClient(boost::asio::io_context& io, ClientObserver& observer, std::size_t index);
  ~PollingClient() override;

  std::size_t queued_bytes() const override { return out_.size() + posting_body_.size(); }

 private:
  struct Connection;  // one keep-alive HTTP connection (Beast's request, response, buffer)

  void connect_transport(const boost::asio::ip::tcp::endpoint& server) override;
  void send_engine_packet(std::string_view packet) override;
  void close_transport() override;
  std::string target() const;
  void poll();
  void on_polled();
  void post();
  void send_post();
  void on_posted(const boost::system::error_code& ec);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::endpoint server_;
  std::string host_;
  std::string sid_;
  std::unique_ptr<Connection> get_;
  std::unique_ptr<Connection> post_;
  std::string out_;           // packets waiting for the next POST, as one payload
  std::string posting_body_;  // the POST in flight
  bool posting_ = false;
  bool post_retried_ = false;  // the POST in flight was sent again on a new connection
};

}  // namespace harmonic::bench
