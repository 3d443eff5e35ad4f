#include "net/http_session.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

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

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket, ServerContext& context, ConnectionSlot slot)
    : stream_(std::move(socket)), delay_timer_(stream_.get_executor()), context_(context), slot_(std::move(slot)) {}

void HttpSession::run() { read_next(); }

void HttpSession::refuse(std::string message) {
  refusal_ = std::move(message);
  read_next();
}

void HttpSession::read_next() {
  parser_.emplace();
  parser_->body_limit(context_.limits.max_http_body);
  parser_->header_limit(16 * 1024);
  // A refused connection holds no slot, so it gets only a moment to say what it wanted.
  constexpr std::uint32_t refusal_read_ms = 1000;
  stream_.expires_after(std::chrono::milliseconds(
      refusal_ ? std::min(refusal_read_ms, context_.limits.http_header_timeout_ms) : context_.limits.http_header_timeout_ms));
  http_::async_read_header(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

void HttpSession::on_header(beast::error_code ec, std::size_t bytes) {
  if (ec || parser_->is_done() || refusal_) {
    if (ec == beast::error::timeout) spdlog::debug("an HTTP request's headers did not arrive in time; closing");
    on_read(ec, bytes);
    return;
  }
  stream_.expires_after(std::chrono::milliseconds(context_.limits.http_timeout_ms));
  http_::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

// The client's address for the per-address limits: the peer, or the client a trusted
// proxy names.
std::string HttpSession::client_of(const Request& request) {
  beast::error_code ec;
  const auto remote = stream_.socket().remote_endpoint(ec);
  if (ec) return "unknown";
  return client_address(remote.address(), view(request["X-Forwarded-For"]), context_.trusted_proxies);
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
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
  if (refusal_) {
    write(json_error(request.version(), http_::status::service_unavailable, "unavailable", *refusal_), true);
    return;
  }
  if (context_.shutting_down) {
    write(json_error(request.version(), http_::status::service_unavailable, "unavailable", "the server is shutting down"), true);
    return;
  }
  if (!slot_.charge(client_of(request))) {
    context_.metrics.count_connection_refused("max_connections_per_ip");
    write(json_error(request.version(), http_::status::service_unavailable, "unavailable",
                     "too many connections from your address; try again later"),
          true);
    return;
  }
  if (beast::websocket::is_upgrade(request)) {
    upgrade_to_websocket(std::move(request));
    return;
  }
  const bool keep_alive = request.keep_alive();
  auto reply = answer(request);
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

void HttpSession::upgrade_to_websocket(Request request) {
  const auto target = parse_target(view(request.target()));
  const bool socket_io = target && (target->path == "/socket.io/" || target->path == "/socket.io");
  if (!socket_io) {
    write(json_error(request.version(), http_::status::not_found, "not_found", "WebSocket connections go to /socket.io/"), true);
    return;
  }
  const auto eio = target->query.find("EIO");
  const auto transport = target->query.find("transport");
  if (eio == target->query.end() || eio->second != "4" || transport == target->query.end() ||
      transport->second != "websocket") {
    write(json_error(request.version(), http_::status::bad_request, "bad_request",
                     "only Engine.IO v4 over the websocket transport is served (EIO=4&transport=websocket)"),
          true);
    return;
  }
  std::make_shared<WebSocketSession>(std::move(stream_), context_, std::move(slot_))->run(std::move(request));
}

http::ApiResponse HttpSession::answer(const Request& request) {
  const auto target = parse_target(view(request.target()));
  if (!target) return api_error(400, "bad_request", "malformed request target");
  if (target->path == "/socket.io/" || target->path == "/socket.io") {
    return api_error(400, "bad_request", "only the websocket transport is served; connect with transports: ['websocket']");
  }

  http::ApiRequest api;
  api.method = request.method() == http_::verb::head ? "GET" : std::string(view(request.method_string()));
  api.path = target->path;
  api.query = target->query;
  for (const auto& field : request) api.headers[lower(view(field.name_string()))] = std::string(field.value());
  api.body = request.body();
  api.remote_address = client_of(request);

  // Realtime changes of this turn are committed first, so REST neither reads nor builds on
  // a change that is not yet durable, and its own writes are not held up by a batch.
  context_.hub.finish_turn();
  try {
    return context_.rest(api);
  } catch (const std::exception& error) {
    spdlog::error("{} {} failed: {}", api.method, api.path, error.what());
    return api_error(500, "server_error", "the server could not complete the request");
  }
}

HttpSession::Response HttpSession::to_response(http::ApiResponse reply, const Request& request) {
  Response response{static_cast<http_::status>(reply.status), request.version()};
  response.set(http_::field::server, "harmonic-server");
  if (!reply.content_type.empty()) response.set(http_::field::content_type, reply.content_type);
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  response.body() = std::move(reply.body);
  response.prepare_payload();
  if (request.method() == http_::verb::head) response.body().clear();
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
                     beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close_after));
}

void HttpSession::on_write(bool close_after, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (close_after) return close();
  read_next();
}

void HttpSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace harmonic::net
