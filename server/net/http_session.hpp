// One HTTP connection: reads requests with a deadline and a body limit, upgrades
// /socket.io/ WebSocket requests into a WebSocketSession, and answers everything
// else through the transport-free REST handler.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "net/server_context.hpp"

namespace harmonic::net {

class HttpSession final : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context);
  void run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void read_next();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void upgrade_to_websocket(Request request);
  http::ApiResponse answer(const Request& request);
  Response to_response(http::ApiResponse reply, const Request& request);
  // `delay_ms` > 0 holds the answer back on a timer first (ApiResponse::delay_ms).
  void write(Response response, bool close_after, std::int64_t delay_ms = 0);
  void on_write(bool close_after, boost::beast::error_code ec, std::size_t bytes);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  boost::asio::steady_timer delay_timer_;
  ServerContext& context_;
};

}  // namespace harmonic::net
