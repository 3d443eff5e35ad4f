// One HTTP connection: reads requests with a deadline and a body limit, upgrades
// /socket.io/ WebSocket requests into a WebSocketSession, carries the requests of the
// Engine.IO long-polling transport to their PollingSession, and answers everything
// else through the transport-free REST handler.
//
// A polling GET with nothing to send is held: the connection then waits, without a
// deadline, for the session's answer, while watching the socket so that a client that
// gives up (closes the connection) ends the session, as the specification asks.
//
// Three deadlines: the headers of each request must arrive within http_header_timeout_ms
// of its first byte (of the connection's start, for the first request), so a peer that
// trickles a request in (slowloris) loses the connection after 10 s by default; the body
// then has http_timeout_ms. Between requests a kept-alive connection may idle for
// http_header_timeout_ms too, or, once it has carried long-polling requests, for a whole
// heartbeat (polling_keep_alive_ms): a polling client's POST connection is silent from
// one pong to the next. The connection's ConnectionSlot is charged to its client
// address here when the peer is a trusted proxy (only the headers name the client).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "net/access_log.hpp"
#include "net/connection_caps.hpp"
#include "net/polling_session.hpp"
#include "net/server_context.hpp"
#include "net/url.hpp"

namespace harmonic::net {

class HttpSession final : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context, ConnectionSlot slot);
  // A socket whose peer is not the client (the TLS terminator's socketpair,
  // net/tls_terminator.hpp): `peer` is the client's TCP address.
  HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context, ConnectionSlot slot,
              boost::asio::ip::address peer);
  void run();
  // Over a connection cap: read one request (briefly) and answer it 503, then close.
  void refuse(std::string message);

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void read_next();
  // After a response on a kept-alive connection: waits for the next request's first byte.
  void await_next_request();
  void on_next_request_bytes(boost::beast::error_code ec, std::size_t bytes);
  void on_header(boost::beast::error_code ec, std::size_t bytes);
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  // The client's address for the per-address limits: the peer, or the client a trusted
  // proxy names.
  std::string client_of(const Request& request) const;
  void upgrade_to_websocket(Request request, const std::optional<Target>& target);
  // The long-polling transport (net/polling_session.hpp).
  void serve_polling(Request request, const Target& target, const std::string& client);
  // At a POST's headers: the session is found and told before the body is read, so that
  // overlapping POSTs and oversized ones are caught. False: already answered.
  bool begin_polling_post(const Request& request);
  void drop_polling_post();
  // Holds a GET, or a POST waiting for backpressure to ease, until the session answers.
  void hold_poll(std::shared_ptr<PollingSession> session, Request request);
  PollingSession::Reply held_poll_reply();
  void watch_held_poll();
  void on_held_poll_read(boost::beast::error_code ec, std::size_t bytes);
  // What a polling answer needs of its request: a held GET keeps only this, not the
  // request with its header fields.
  struct PollRequest {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    unsigned version = 11;
    bool keep_alive = true;
    std::string origin;  // empty: none
    static PollRequest of(const Request& request);
  };
  void write_polling(PollingAnswer answer, const Request& request, bool close_after = false);
  void write_polling(PollingAnswer answer, const PollRequest& request, bool close_after = false);
  void write_polling(PollingAnswer answer, const PollRequest& request, std::string_view origin, bool close_after);
  http::ApiResponse answer(const Request& request, const std::optional<Target>& target, const std::string& client);
  // Cross-origin rules (net/origin_policy.hpp).
  bool origin_allowed(const Request& request) const;
  void answer_preflight(const Request& request, const std::optional<Target>& target);
  Response to_response(http::ApiResponse reply, const Request& request);
  // `delay_ms` > 0 holds the answer back on a timer first (ApiResponse::delay_ms).
  void write(Response response, bool close_after, std::int64_t delay_ms = 0);
  // `status`: the answer's, for the access log.
  void on_write(bool close_after, unsigned status, boost::beast::error_code ec, std::size_t bytes);
  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  std::string polling_bytes_;  // a polling answer being written (write_polling)
  // The request being answered, for its access log line when the answer is written.
  std::optional<HttpAccess> access_;
  std::chrono::steady_clock::time_point access_started_;
  boost::asio::steady_timer delay_timer_;
  ServerContext& context_;
  ConnectionSlot slot_;
  std::optional<std::string> refusal_;  // set: every request is answered 503 with this
  std::shared_ptr<PollingSession> posting_;   // the session whose POST body is being read
  std::shared_ptr<PollingSession> held_poll_;  // the session whose GET this connection holds
  PollRequest held_request_;
  std::optional<PollingAnswer> held_answer_;   // arrived: written once the socket watch ends
  bool carried_polling_ = false;               // has served a polling request: idles longer
  // The TCP peer (the client's address behind the TLS terminator), read once per
  // connection; unset only when the socket could not tell.
  std::optional<boost::asio::ip::address> peer_;
};

}  // namespace harmonic::net
