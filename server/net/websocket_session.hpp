// One Engine.IO v4 connection over WebSocket: sends the open packet, pings on
// schedule and drops peers that stop answering, unwraps "message" packets for the
// core, and writes the core's frames one at a time from a bounded queue.
#pragma once

#include <deque>
#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "net/frame_sink.hpp"
#include "net/server_context.hpp"

namespace harmonic::net {

class WebSocketSession final : public FrameSink, public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(boost::beast::tcp_stream&& stream, ServerContext& context);
  void run(boost::beast::http::request<boost::beast::http::string_body> upgrade);

  void send(const core::Frame& frame) override;
  void close_after_flush() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void read_next();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void handle_text(std::string_view frame);
  void write_next();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void schedule_ping();
  void start_close();
  void abort();    // drop the TCP connection without a close handshake
  void finish();   // tell the core and the registry, exactly once

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> upgrade_;
  ServerContext& context_;
  core::ConnectionId id_ = 0;
  std::deque<core::Frame> queue_;
  std::size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
  bool awaiting_pong_ = false;
  boost::asio::steady_timer ping_timer_;
  boost::asio::steady_timer pong_deadline_;
  boost::asio::steady_timer close_timer_;
};

}  // namespace harmonic::net
