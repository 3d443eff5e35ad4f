// The WebSocket transport of the load client: Engine.IO v4 over a WebSocket whose
// upgrade is done with Beast's HTTP, and whose frames are read straight from the TCP
// socket, many per read, and written masked, without Beast's stream in between.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "load/socketio_client.hpp"

namespace harmonic::bench {

class WebSocketClient final : public SocketIoClient {
 public:
  WebSocketClient(boost::asio::io_context& io, ClientObserver& observer, std::size_t index);
  ~WebSocketClient() override;

  std::size_t queued_bytes() const override { return out_.size() + in_flight_.size(); }

 private:
  struct Upgrade;  // Beast's HTTP request/response, alive only during the handshake

  void connect_transport(const boost::asio::ip::tcp::endpoint& server) override;
  void send_engine_packet(std::string_view packet) override { send_frame(0x1, packet); }
  void close_transport() override;
  void on_connect(const boost::system::error_code& ec);
  void read_more();
  void consume_frames();
  void on_frame(bool fin, int opcode, std::string_view payload);
  void send_frame(int opcode, std::string_view payload);
  void flush();

  boost::asio::ip::tcp::socket socket_;
  std::string host_;
  std::unique_ptr<Upgrade> upgrade_;
  std::vector<char> in_;           // received bytes [in_begin_, in_end_) not yet parsed
  std::size_t in_begin_ = 0;
  std::size_t in_end_ = 0;
  std::string fragments_;          // a text message split over continuation frames
  std::string out_;                // frames waiting for the write in flight
  std::string in_flight_;
  std::uint32_t mask_state_;
  bool writing_ = false;
};

}  // namespace harmonic::bench
