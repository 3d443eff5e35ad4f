#include "net/http_session.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "net/access_log.hpp"
#include "net/engineio_request.hpp"
#include "net/polling_response.hpp"
#include "net/polling_sessions.hpp"
#include "net/url.hpp"
#include "net/websocket_session.hpp"

namespace harmonic::net {

namespace beast = boost::beast;
namespace http_ = beast::http;

namespace {

std::string error_body(std::string_view code, std::string_view message) {
  return nlohmann::json{{"error", {{"code", code}, {"message", message}, {"details", nlohmann::json::object()}}}}.dump();
}

// An error the edge answers itself, in the REST API's shape.
http::ApiResponse api_error(int status, std::string_view code, std::string_view message) {
  http::ApiResponse response;
  response.status = status;
  response.body = error_body(code, message);
  return response;
}

http_::response<http_::string_body> json_error(unsigned version, http_::status status, std::string_view code,
                                               std::string_view message) {
  http_::response<http_::string_body> response{status, version};
  response.set(http_::field::content_type, "application/json");
  response.body() = error_body(code, message);
  response.prepare_payload();
  return response;
}

std::string_view view(boost::beast::string_view text) { return {text.data(), text.size()}; }

bool is_socket_io(std::string_view path) { return path == "/socket.io/" || path == "/socket.io"; }

PollingAnswer engine_answer(EngineError error) {
  auto answer = engine_error_answer(error);
  return {answer.status, "application/json", std::move(answer.body)};
}

// A polling POST over maxPayload: 413 with no body, as the reference server answers.
http_::response<http_::string_body> payload_too_large(unsigned version) {
  http_::response<http_::string_body> response{http_::status::payload_too_large, version};
  response.prepare_payload();
  return response;
}

// A held GET's connection: bytes the client sends meanwhile (a pipelined request) are
// kept for later, up to this much; past it the client is not behaving and is dropped.
constexpr std::size_t max_bytes_while_held = 16 * 1024;

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context, ConnectionSlot slot)
    : stream_(std::move(socket)), delay_timer_(stream_.get_executor()), context_(context), slot_(std::move(slot)) {
  // Asked once: every request of the connection needs it for the per-address limits.
  beast::error_code ec;
  if (const auto remote = stream_.socket().remote_endpoint(ec); !ec) peer_ = remote.address();
}

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context, ConnectionSlot slot,
                         boost::asio::ip::address peer)
    : HttpSession(std::move(socket), context, std::move(slot)) {
  peer_ = std::move(peer);
}

void HttpSession::run() { read_next(); }

void HttpSession::refuse(std::string message) {
  refusal_ = std::move(message);
  read_next();
}

void HttpSession::read_next() {
  parser_.emplace();
  // Beast checks a Content-Length against the limit while reading the headers, before
  // it is known whether this is a polling POST (up to maxPayload) or a REST request;
  // on_header narrows it to the request's own limit.
  parser_->body_limit(std::max<std::uint64_t>(context_.limits.max_http_body, context_.limits.max_payload));
  parser_->header_limit(16 * 1024);
  // A refused connection holds no slot, so it gets only a moment to say what it wanted.
  constexpr std::uint32_t refusal_read_ms = 1000;
  stream_.expires_after(std::chrono::milliseconds(
      refusal_ ? std::min(refusal_read_ms, context_.limits.http_header_timeout_ms) : context_.limits.http_header_timeout_ms));
  http_::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

void HttpSession::on_header(beast::error_code ec, std::size_t bytes) {
  // A Content-Length over every limit fails the header read itself; a polling POST's
  // session must still hear of it (it is closed).
  const bool headers_read = !ec || ec == http_::error::body_limit;
  if (headers_read && !refusal_ && !context_.shutting_down && !begin_polling_post(parser_->get())) return;
  if (ec || parser_->is_done() || refusal_) {
    if (ec == beast::error::timeout) spdlog::debug("an HTTP request's headers did not arrive in time; closing");
    on_read(ec, bytes);
    return;
  }
  if (!posting_) {
    if (const auto length = parser_->content_length(); length && *length > context_.limits.max_http_body) {
      on_read(http_::error::body_limit, bytes);
      return;
    }
    parser_->body_limit(context_.limits.max_http_body);
  }
  stream_.expires_after(std::chrono::milliseconds(context_.limits.http_timeout_ms));
  http_::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

std::string HttpSession::client_of(const Request& request) const {
  if (!peer_) return "unknown";
  return client_address(*peer_, view(request["X-Forwarded-For"]), context_.trusted_proxies);
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
  if (ec && posting_) {
    // The POST never completed: a body over maxPayload closes the session (413).
    const bool too_large = ec == http_::error::body_limit;
    posting_->abandon_post(too_large);
    posting_.reset();
    if (too_large) {
      write(payload_too_large(11), true);
      return;
    }
  }
  if (ec == http_::error::end_of_stream) return close();
  if (ec == http_::error::body_limit) {
    write(json_error(11, http_::status::payload_too_large, "payload_too_large", "the request body is too large"), true);
    return;
  }
  if (ec) {
    if (ec != beast::error::timeout && ec != boost::asio::error::operation_aborted) {
      // A malformed request gets a plain 400 rather than a silent hang-up.
      write(json_error(11, http_::status::bad_request, "bad_request", "malformed HTTP request"), true);
    }
    return;
  }
  auto request = parser_->release();
  // Read once per request; everything below gets them from here.
  const auto target = parse_target(view(request.target()));
  const auto client = client_of(request);
  if (access_log_enabled()) {
    access_ = HttpAccess{std::string(view(request.method_string())), target ? target->path : "-", client, "", 0, {}};
    access_started_ = std::chrono::steady_clock::now();
  }
  parser_.reset();  // its buffers are not needed until the next request
  if (refusal_) {
    write(json_error(request.version(), http_::status::service_unavailable, "unavailable", *refusal_), true);
    return;
  }
  if (context_.shutting_down) {
    drop_polling_post();
    write(json_error(request.version(), http_::status::service_unavailable, "unavailable", "the server is shutting down"), true);
    return;
  }
  if (!slot_.charge(client)) {
    drop_polling_post();
    context_.metrics.count_connection_refused("max_connections_per_ip");
    write(json_error(request.version(), http_::status::service_unavailable, "unavailable",
                     "too many connections from your address; try again later"),
          true);
    return;
  }
  if (beast::websocket::is_upgrade(request)) {
    upgrade_to_websocket(std::move(request), target);
    return;
  }
  if (request.method() == http_::verb::options && request.count(http_::field::access_control_request_method) > 0) {
    answer_preflight(request, target);
    return;
  }
  if (target && is_socket_io(target->path)) {
    serve_polling(std::move(request), *target, client);
    return;
  }
  const bool keep_alive = request.keep_alive();
  auto reply = answer(request, target, client);
  if (!reply.offload) {
    const auto delay_ms = reply.delay_ms;
    write(to_response(std::move(reply), request), !keep_alive, delay_ms);
    return;
  }
  // Render off the I/O thread, then come back to it to write.
  boost::asio::post(context_.workers, [self = shared_from_this(), job = std::move(reply.offload),
                                       request = std::move(request), keep_alive]() mutable {
    http::ApiResponse result;
    try {
      result = job();
    } catch (const std::exception& error) {
      spdlog::error("background work for {} failed: {}", view(request.target()), error.what());
      result.status = 500;
      result.body = error_body("server_error", "the server could not complete the request");
    }
    boost::asio::post(self->stream_.get_executor(),
                      [self, result = std::move(result), request = std::move(request), keep_alive]() mutable {
                        if (result.finish) {
                          self->context_.hub.finish_turn();  // REST never sees an uncommitted change
                          try {
                            result = result.finish();
                          } catch (const std::exception& error) {
                            spdlog::error("finishing {} failed: {}", view(request.target()), error.what());
                            result = api_error(500, "server_error", "the server could not complete the request");
                          }
                        }
                        const auto delay_ms = result.delay_ms;
                        self->write(self->to_response(std::move(result), request), !keep_alive, delay_ms);
                      });
  });
}

void HttpSession::upgrade_to_websocket(Request request, const std::optional<Target>& target) {
  if (!target || !is_socket_io(target->path)) {
    write(json_error(request.version(), http_::status::not_found, "not_found", "WebSocket connections go to /socket.io/"), true);
    return;
  }
  if (!origin_allowed(request)) {
    write_polling(engine_answer(EngineError::forbidden), request, true);
    return;
  }
  const auto checked = check_engine_request(target->query, "GET", true);
  if (const auto* error = std::get_if<EngineError>(&checked)) {
    write_polling(engine_answer(*error), request);
    return;
  }
  // With a sid: the upgrade of a polling session; it must exist and not be probing yet.
  std::shared_ptr<PollingSession> upgrading;
  if (const auto& sid = std::get<EngineQuery>(checked).sid; !sid.empty()) {
    upgrading = context_.polling.find(sid);
    if (!upgrading) {
      write_polling(engine_answer(EngineError::unknown_sid), request);
      return;
    }
    if (!upgrading->begin_upgrade()) {
      write_polling(engine_answer(EngineError::bad_request), request);
      return;
    }
  }
  std::make_shared<WebSocketSession>(std::move(stream_), context_, std::move(slot_), std::move(upgrading))
      ->run(std::move(request));
}

// --- the long-polling transport ---------------------------------------------------------

bool HttpSession::begin_polling_post(const Request& request) {
  if (request.method() != http_::verb::post || beast::websocket::is_upgrade(request)) return true;
  const auto target = parse_target(view(request.target()));
  if (!target || !is_socket_io(target->path) || !origin_allowed(request)) return true;
  const auto checked = check_engine_request(target->query, "POST", false);
  const auto* query = std::get_if<EngineQuery>(&checked);
  if (!query) return true;  // answered with the error once read
  auto session = context_.polling.find(query->sid);
  if (!session) return true;  // likewise
  // A Content-Length over every limit stops the header read itself (is_header_done() is
  // then false, and content_length() may not be asked).
  const bool too_large = !parser_->is_header_done() ||
                         (parser_->content_length() && *parser_->content_length() > context_.limits.max_payload);
  if (too_large) {
    session->abandon_post(true);
    write(payload_too_large(request.version()), true);
    return false;
  }
  if (!session->begin_post()) {
    // Answered before the body is read: the connection cannot carry another request.
    write_polling(engine_answer(EngineError::bad_request), request, true);
    return false;
  }
  parser_->body_limit(context_.limits.max_payload);
  posting_ = std::move(session);
  return true;
}

void HttpSession::drop_polling_post() {
  if (!posting_) return;
  posting_->abandon_post(false);
  posting_.reset();
}

void HttpSession::serve_polling(Request request, const Target& target, const std::string& client) {
  const auto method = std::string(view(request.method_string()));
  if (!origin_allowed(request)) {
    drop_polling_post();
    write_polling(engine_answer(EngineError::forbidden), request);
    return;
  }
  const auto checked = check_engine_request(target.query, method, false);
  if (const auto* error = std::get_if<EngineError>(&checked)) {
    drop_polling_post();
    write_polling(engine_answer(*error), request);
    return;
  }
  const auto& query = std::get<EngineQuery>(checked);
  std::shared_ptr<PollingSession> session;
  if (query.sid.empty()) {
    auto opened = open_polling_session(context_, stream_.get_executor(), client);
    if (auto* refused = std::get_if<PollingAnswer>(&opened)) {
      write_polling(std::move(*refused), request);
      return;
    }
    session = std::get<std::shared_ptr<PollingSession>>(std::move(opened));
  } else if (request.method() == http_::verb::post) {
    session = std::move(posting_);
    // Not begun at its headers: the session was gone, or is another one now.
    if (!session || session->sid() != query.sid) {
      if (session) session->abandon_post(false);
      write_polling(engine_answer(EngineError::unknown_sid), request);
      return;
    }
    carried_polling_ = true;
    if (auto answer = session->finish_post(request.body(), held_poll_reply())) {
      write_polling(std::move(*answer), request);
    } else {
      hold_poll(std::move(session), std::move(request));
    }
    return;
  } else {
    session = context_.polling.find(query.sid);
    if (!session) {
      write_polling(engine_answer(EngineError::unknown_sid), request);
      return;
    }
    if (request.method() != http_::verb::get) {
      write_polling(engine_answer(EngineError::bad_request), request);
      return;
    }
  }
  carried_polling_ = true;
  auto answer = session->get(held_poll_reply());
  if (answer) {
    write_polling(std::move(*answer), request);
    return;
  }
  hold_poll(std::move(session), std::move(request));
}

PollingSession::Reply HttpSession::held_poll_reply() {
  return [weak = weak_from_this()](PollingAnswer held) {
    auto self = weak.lock();
    if (!self || !self->held_poll_) return;
    // The watch on the socket ends (aborted) and writes the answer.
    self->held_answer_ = std::move(held);
    beast::error_code ignored;
    self->stream_.socket().cancel(ignored);
  };
}

void HttpSession::hold_poll(std::shared_ptr<PollingSession> session, Request request) {
  held_poll_ = std::move(session);
  // Only what the answer needs (to_response: version, method, keep-alive, Origin): a
  // browser's request carries a kilobyte of headers, kept for as long as the GET is held.
  held_request_ = PollRequest::of(request);
  if (buffer_.size() == 0) buffer_.shrink_to_fit();
  // The session answers in time (TransportLimits::max_poll_hold_ms); no deadline here.
  stream_.expires_never();
  watch_held_poll();
}

void HttpSession::watch_held_poll() {
  // Only to notice a client that gives up: a small read, since every held GET of every
  // idle polling session keeps this buffer (the idle session's memory is mostly its
  // connections').
  constexpr std::size_t watch_read_bytes = 256;
  stream_.async_read_some(buffer_.prepare(watch_read_bytes),
                          beast::bind_front_handler(&HttpSession::on_held_poll_read, shared_from_this()));
}

void HttpSession::on_held_poll_read(beast::error_code ec, std::size_t bytes) {
  if (!ec) buffer_.commit(bytes);
  if (held_answer_) {
    auto answer = std::move(*held_answer_);
    held_answer_.reset();
    held_poll_.reset();
    stream_.expires_after(std::chrono::milliseconds(context_.limits.http_timeout_ms));
    write_polling(std::move(answer), held_request_);
    held_request_.origin = {};
    return;
  }
  if (ec || buffer_.size() > max_bytes_while_held) {
    // The client closed the connection (or misbehaves) while its request was held.
    if (held_request_.method == http_::verb::post) held_poll_->post_cancelled();
    else held_poll_->get_cancelled();
    held_poll_.reset();
    beast::error_code ignored;
    stream_.socket().close(ignored);
    return;
  }
  watch_held_poll();
}

// Every GET of every polling session ends here: the answer is serialised straight into one
// buffer (net/polling_response.hpp) and leaves in one write, with the same headers
// to_response would give it.
HttpSession::PollRequest HttpSession::PollRequest::of(const Request& request) {
  return {request.method(), request.version(), request.keep_alive(), std::string(view(request[http_::field::origin]))};
}

void HttpSession::write_polling(PollingAnswer answer, const Request& request, bool close_after) {
  write_polling(std::move(answer), PollRequest{request.method(), request.version(), request.keep_alive(), {}},
                view(request[http_::field::origin]), close_after);
}

void HttpSession::write_polling(PollingAnswer answer, const PollRequest& request, bool close_after) {
  write_polling(std::move(answer), request, request.origin, close_after);
}

void HttpSession::write_polling(PollingAnswer answer, const PollRequest& request, std::string_view origin,
                                bool close_after) {
  close_after = close_after || !request.keep_alive;
  PollingResponseHead head;
  head.status = answer.status;
  head.version = request.version;
  head.keep_alive = !close_after;
  head.head_request = request.method == http_::verb::head;
  head.content_type = answer.content_type;
  if (!origin.empty() && context_.origins.listed(origin)) head.allowed_origin = origin;
  polling_bytes_ = polling_response_bytes(head, answer.body);
  boost::asio::async_write(stream_, boost::asio::buffer(polling_bytes_),
                           beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close_after,
                                                     answer.status));
}

http::ApiResponse HttpSession::answer(const Request& request, const std::optional<Target>& target,
                                      const std::string& client) {
  if (!target) return api_error(400, "bad_request", "malformed request target");

  http::ApiRequest api;
  // HEAD stays HEAD: RestApi answers it like GET without building what it need not
  // (export.wav does not render a file only to count its bytes).
  api.method = std::string(view(request.method_string()));
  api.path = target->path;
  api.query = target->query;
  for (const auto& field : request) api.headers[lower(view(field.name_string()))] = std::string(field.value());
  api.body = request.body();
  api.remote_address = client;

  // Realtime changes of this turn are committed first, so REST neither reads nor builds on
  // a change that is not yet durable, and its own writes are not held up by a batch.
  context_.hub.finish_turn();
  try {
    auto reply = context_.rest(api);
    if (access_) access_->user = reply.user_id;
    return reply;
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed: {}", api.method, api.path, error.what());
    return api_error(500, "server_error", "the server could not complete the request");
  }
}

bool HttpSession::origin_allowed(const Request& request) const {
  return context_.origins.allows(view(request[http_::field::origin]), view(request[http_::field::host]));
}

// A browser asks before a cross-origin request it may not send unasked (a POST with a
// JSON body, an Authorization header). Answered here, before any route or session.
void HttpSession::answer_preflight(const Request& request, const std::optional<Target>& target) {
  const auto origin = view(request[http_::field::origin]);
  if (origin.empty() || !context_.origins.listed(origin)) {
    if (target && is_socket_io(target->path)) {
      write_polling(engine_answer(EngineError::forbidden), request);
    } else {
      http::ApiResponse refused;
      refused.status = 403;
      refused.body = error_body("forbidden", "this origin may not call the server");
      write(to_response(std::move(refused), request), !request.keep_alive());
    }
    return;
  }
  http::ApiResponse reply;
  reply.status = 204;
  reply.content_type.clear();
  reply.headers = {{"Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE"},
                   {"Access-Control-Allow-Headers", "Authorization, Content-Type"},
                   {"Access-Control-Max-Age", "600"}};
  write(to_response(std::move(reply), request), !request.keep_alive());
}

HttpSession::Response HttpSession::to_response(http::ApiResponse reply, const Request& request) {
  Response response{static_cast<http_::status>(reply.status), request.version()};
  response.set(http_::field::server, "harmonic-server");
  if (!reply.content_type.empty()) response.set(http_::field::content_type, reply.content_type);
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  const bool head = request.method() == http_::verb::head;
  // The API answers HEAD without a body and names the GET's length itself.
  const std::string head_length = head ? std::string(view(response[http_::field::content_length])) : std::string();
  // A listed origin may read the answer from its pages (never "*": credentials are allowed).
  const auto origin = view(request[http_::field::origin]);
  if (!origin.empty() && context_.origins.listed(origin)) {
    response.set(http_::field::access_control_allow_origin, std::string(origin));
    response.set(http_::field::access_control_allow_credentials, "true");
  }
  response.set(http_::field::vary, "Origin");
  response.body() = std::move(reply.body);
  response.prepare_payload();
  if (head) {
    response.body().clear();
    if (!head_length.empty()) response.set(http_::field::content_length, head_length);
  }
  return response;
}

void HttpSession::write(Response response, bool close_after, std::int64_t delay_ms) {
  if (delay_ms > 0) {
    delay_timer_.expires_after(std::chrono::milliseconds(delay_ms));
    delay_timer_.async_wait([self = shared_from_this(), response = std::move(response), close_after](
                                beast::error_code ec) mutable {
      if (ec) return;
      // The wait must not eat into the time the write itself is given.
      self->stream_.expires_after(std::chrono::milliseconds(self->context_.limits.http_timeout_ms));
      self->write(std::move(response), close_after);
    });
    return;
  }
  response.keep_alive(!close_after);
  response_ = std::make_shared<Response>(std::move(response));
  http_::async_write(stream_, *response_,
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close_after,
                                               response_->result_int()));
}

void HttpSession::on_write(bool close_after, unsigned status, beast::error_code ec, std::size_t) {
  if (access_) {
    access_->status = static_cast<int>(status);
    access_->duration = std::chrono::steady_clock::now() - access_started_;
    log_http_request(*access_);
    access_.reset();
  }
  response_.reset();
  polling_bytes_ = {};  // an idle connection keeps no answer
  if (ec) return;
  if (close_after) return close();
  await_next_request();
}

// Between two requests of a kept-alive connection: the wait for the next request's first
// byte has its own deadline, and the header deadline starts with that byte. A plain
// HTTP connection gets the header timeout for both (idlers are cheap to drop); one that
// has carried long-polling requests stays open while its client is legitimately silent,
// which is up to a heartbeat: the POST connection idles from one pong to the next.
void HttpSession::await_next_request() {
  if (buffer_.size() > 0) return read_next();  // a pipelined request is already here
  const auto idle_ms = carried_polling_ ? polling_keep_alive_ms(context_.limits) : context_.limits.http_header_timeout_ms;
  stream_.expires_after(std::chrono::milliseconds(idle_ms));
  // An idle connection keeps no more buffer than the first read needs.
  buffer_.shrink_to_fit();
  constexpr std::size_t first_read_bytes = 512;
  stream_.async_read_some(buffer_.prepare(first_read_bytes),
                          beast::bind_front_handler(&HttpSession::on_next_request_bytes, shared_from_this()));
}

void HttpSession::on_next_request_bytes(beast::error_code ec, std::size_t bytes) {
  if (ec) {
    if (ec == beast::error::timeout) spdlog::debug("a kept-alive HTTP connection stayed idle too long; closing");
    return;
  }
  buffer_.commit(bytes);
  read_next();
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace harmonic::net
