#include "net/websocket_session.hpp"

#include <random>

#include <spdlog/spdlog.h>

#include "protocol/engineio.hpp"

namespace harmonic::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

namespace {
std::string random_sid() {
  static std::mt19937_64 generator{std::random_device{}()};
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string sid(20, ' ');
  for (auto& c : sid) c = alphabet[generator() % 64];
  return sid;
}
}  // namespace

WebSocketSession::WebSocketSession(beast::tcp_stream&& stream, ServerContext& context)
    : ws_(std::move(stream)), context_(context), ping_timer_(ws_.get_executor()), pong_deadline_(ws_.get_executor()),
      close_timer_(ws_.get_executor()) {}

void WebSocketSession::run(beast::http::request<beast::http::string_body> upgrade) {
  upgrade_ = std::move(upgrade);
  beast::get_lowest_layer(ws_).expires_never();
  // Engine.IO does its own liveness checks (ping/pong), so Beast's idle timer stays off.
  ws_.set_option(websocket::stream_base::timeout{10s, websocket::stream_base::none(), false});
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set(beast::http::field::server, "harmonic-server"); }));
  ws_.read_message_max(context_.limits.max_payload);
  ws_.async_accept(upgrade_, beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
}

void WebSocketSession::on_accept(beast::error_code ec) {
  if (ec) {
    spdlog::debug("websocket handshake failed: {}", ec.message());
    return;
  }
  upgrade_ = {};
  id_ = context_.registry.add(weak_from_this());
  protocol::EngineHandshake handshake{random_sid(), context_.limits.ping_interval_ms, context_.limits.ping_timeout_ms,
                                      context_.limits.max_payload};
  send(core::make_frame(protocol::encode_engine_open(handshake)));
  context_.hub.on_open(id_);
  read_next();
  schedule_ping();
}

void WebSocketSession::read_next() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
}

void WebSocketSession::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // message_too_big: Beast has already failed the connection with close code 1009.
    if (ec != websocket::error::closed && ec != boost::asio::error::operation_aborted) {
      spdlog::debug("connection {} read ended: {}", id_, ec.message());
    }
    finish();
    return;
  }
  if (!closing_) {
    if (ws_.got_binary()) {
      context_.hub.on_binary(id_);
    } else {
      const auto data = buffer_.data();
      handle_text(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
  }
  buffer_.consume(buffer_.size());
  read_next();
}

void WebSocketSession::handle_text(std::string_view frame) {
  const auto packet = protocol::parse_engine_packet(frame);
  if (!packet) {
    spdlog::debug("connection {} sent an unparseable Engine.IO packet; closing", id_);
    close_after_flush();
    return;
  }
  switch (packet->type) {
    case protocol::EnginePacketType::message:
      context_.hub.on_packet(id_, packet->data);
      return;
    case protocol::EnginePacketType::pong:
      awaiting_pong_ = false;
      return;
    case protocol::EnginePacketType::ping:  // probes are not used over WebSocket, but answer politely
      send(core::make_frame("3" + std::string(packet->data)));
      return;
    case protocol::EnginePacketType::noop:
      return;
    case protocol::EnginePacketType::close:
    default:
      close_after_flush();
      return;
  }
}

void WebSocketSession::send(const core::Frame& frame) {
  if (closing_ || finished_) return;
  queued_bytes_ += frame->size();
  queue_.push_back(frame);
  if (queue_.size() > context_.limits.max_queued_frames || queued_bytes_ > context_.limits.max_queued_bytes) {
    spdlog::warn("connection {} is not reading ({} frames, {} bytes queued); dropping it", id_, queue_.size(),
                 queued_bytes_);
    abort();
    return;
  }
  if (!writing_) write_next();
}

void WebSocketSession::write_next() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
}

void WebSocketSession::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (!queue_.empty()) {
    queued_bytes_ -= queue_.front()->size();
    queue_.pop_front();
  }
  if (ec || finished_) {
    abort();
    queue_.clear();
    return;
  }
  if (!queue_.empty()) write_next();
  else if (closing_) start_close();
}

void WebSocketSession::close_after_flush() {
  if (closing_ || finished_) return;
  closing_ = true;
  if (!writing_) start_close();
  // A peer that never completes the close handshake does not get to keep the socket.
  close_timer_.expires_after(3s);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->abort();
  });
}

void WebSocketSession::start_close() {
  if (close_sent_ || finished_) return;
  close_sent_ = true;
  ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {
    // The pending read completes with `closed` once the peer answers; finish() runs there.
  });
}

// Engine.IO v4: a ping every pingInterval; each ping must be answered within
// pingTimeout. Clients also expect the next ping within interval + timeout, so the
// interval clock never waits for the pong.
void WebSocketSession::schedule_ping() {
  ping_timer_.expires_after(std::chrono::milliseconds(context_.limits.ping_interval_ms));
  ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->finished_) return;
    self->send(core::make_frame(std::string(protocol::engine_ping_frame)));
    self->awaiting_pong_ = true;
    self->pong_deadline_.expires_after(std::chrono::milliseconds(self->context_.limits.ping_timeout_ms));
    self->pong_deadline_.async_wait([self](beast::error_code deadline_ec) {
      if (deadline_ec || self->finished_ || !self->awaiting_pong_) return;
      spdlog::debug("connection {} missed its pong; closing", self->id_);
      self->abort();
    });
    self->schedule_ping();
  });
}

void WebSocketSession::abort() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(ws_).close();
  finish();
}

void WebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  ping_timer_.cancel();
  pong_deadline_.cancel();
  close_timer_.cancel();
  // The queue stays: a write in flight still points into its front frame.
  if (id_ != 0) {
    context_.registry.remove(id_);
    context_.hub.on_close(id_);
  }
}

}  // namespace harmonic::net
