// One Socket.IO client connection, built for load: Engine.IO v4 over a WebSocket whose
// upgrade is done with Beast's HTTP, and whose frames are read straight from the TCP
// socket, many per read, so that one load-generator thread can receive hundreds of
// thousands of messages per second without being the bottleneck it is measuring.
//
// Control traffic (open, CONNECT, join, errors) goes through the shared codec in
// shared/protocol. The two benchmarked events (parameter:updated, collaboration:cursor)
// are recognised by their prefix and handed to the observer unparsed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

namespace harmonic::bench {

class SocketIoClient;

enum class HotEvent { parameter_updated, cursor };

class ClientObserver {
 public:
  virtual ~ClientObserver() = default;
  // CONNECT was accepted and, if a universe was asked for, state:initial has arrived.
  virtual void on_ready(SocketIoClient& client) = 0;
  // `packet` is the Socket.IO event packet as received: 2["name",{...}]
  virtual void on_hot_event(SocketIoClient& client, HotEvent event, std::string_view packet) = 0;
  // system:error or rate_limit from the server (parsed with the shared codec).
  virtual void on_server_error(SocketIoClient& client, const std::string& name, const nlohmann::json& payload) = 0;
  // Refused, closed or broken; called once.
  virtual void on_failed(SocketIoClient& client, const std::string& why) = 0;
};

class SocketIoClient {
 public:
  SocketIoClient(boost::asio::io_context& io, ClientObserver& observer, std::size_t index);
  ~SocketIoClient();
  SocketIoClient(const SocketIoClient&) = delete;
  SocketIoClient& operator=(const SocketIoClient&) = delete;

  // Connects, upgrades, sends CONNECT {token} and, unless universe_id is empty, joins it.
  void start(const boost::asio::ip::tcp::endpoint& server, std::string token, std::string universe_id);
  // 42["name",payload], encoded by the shared codec, masked and queued.
  void emit(std::string_view name, const nlohmann::json& payload);
  void close();

  std::size_t index() const { return index_; }
  bool ready() const { return ready_; }
  bool failed() const { return failed_; }
  std::size_t queued_bytes() const { return out_.size() + in_flight_.size(); }
  std::int64_t started_us() const { return started_us_; }
  std::int64_t ready_us() const { return ready_us_; }

 private:
  struct Upgrade;  // Beast's HTTP request/response, alive only during the handshake

  void on_connect(const boost::system::error_code& ec);
  void read_more();
  void consume_frames();
  void on_frame(bool fin, int opcode, std::string_view payload);
  void on_message(std::string_view text);
  void on_socketio(std::string_view packet);
  void send_frame(int opcode, std::string_view payload);
  void flush();
  void fail(const std::string& why);
  void mark_ready();

  boost::asio::ip::tcp::socket socket_;
  ClientObserver& observer_;
  std::size_t index_;
  std::string host_;
  std::string token_;
  std::string universe_id_;
  std::unique_ptr<Upgrade> upgrade_;
  std::vector<char> in_;           // received bytes [in_begin_, in_end_) not yet parsed
  std::size_t in_begin_ = 0;
  std::size_t in_end_ = 0;
  std::string fragments_;          // a text message split over continuation frames
  std::string out_;                // frames waiting for the write in flight
  std::string in_flight_;
  std::uint32_t mask_state_;
  bool writing_ = false;
  bool ready_ = false;
  bool failed_ = false;
  std::int64_t started_us_ = 0;
  std::int64_t ready_us_ = 0;
};

}  // namespace harmonic::bench
