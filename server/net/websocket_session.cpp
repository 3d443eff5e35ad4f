#include "net/websocket_session.hpp"

#include <array>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include "net/access_log.hpp"
#include "net/session_id.hpp"
#include "protocol/engineio.hpp"

namespace harmonic::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;

namespace {
// Every session reads into this one buffer (the server runs on one thread) and keeps
// only the unfinished tail of a frame, so idle connections cost no buffer memory.
std::array<char, 64 * 1024>& read_buffer() {
  static std::array<char, 64 * 1024> buffer;
  return buffer;
}
constexpr int max_reads_per_wakeup = 4;              // then let other sessions run
constexpr std::size_t keep_buffer_bytes = 16 * 1024; // larger write buffers are released when idle

void release_if_large(std::string& buffer) {
  if (buffer.capacity() > keep_buffer_bytes) std::string().swap(buffer);
}
}  // namespace

WebSocketSession::WebSocketSession(beast::tcp_stream&& stream, ServerContext& context, ConnectionSlot slot,
                                   std::shared_ptr<PollingSession> upgrading)
    : handshake_(std::make_unique<websocket::stream<beast::tcp_stream>>(std::move(stream))),
      socket_(handshake_->get_executor()),
      context_(context),
      slot_(std::move(slot)),
      upgrading_(std::move(upgrading)),
      ping_timer_(handshake_->get_executor()),
      pong_deadline_(handshake_->get_executor()),
      close_timer_(handshake_->get_executor()),
      upgrade_deadline_(handshake_->get_executor()) {}

void WebSocketSession::run(beast::http::request<beast::http::string_body> upgrade) {
  upgrade_ = std::move(upgrade);
  beast::get_lowest_layer(*handshake_).expires_never();
  // The handshake has a deadline; afterwards Engine.IO does its own liveness checks.
  handshake_->set_option(websocket::stream_base::timeout{10s, websocket::stream_base::none(), false});
  handshake_->set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set(beast::http::field::server, "harmonic-server"); }));
  handshake_->async_accept(upgrade_, beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
}

void WebSocketSession::on_accept(beast::error_code ec) {
  if (ec) {
    spdlog::debug("websocket handshake failed: {}", ec.message());
    if (upgrading_) upgrading_->upgrade_abandoned();
    return;
  }
  upgrade_ = {};
  socket_ = std::move(beast::get_lowest_layer(*handshake_).socket());
  handshake_.reset();
  socket_.non_blocking(true, ec);
  if (ec) {
    if (upgrading_) upgrading_->upgrade_abandoned();
    return;
  }
  if (upgrading_) {
    upgrade_deadline_.expires_after(upgrade_timeout);
    upgrade_deadline_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (wait_ec || !self->upgrading_) return;
      spdlog::debug("an upgrade to WebSocket did not complete in time; dropping it");
      self->abort();
    });
    wait_readable();
    return;
  }
  id_ = context_.registry.add(weak_from_this());
  protocol::EngineHandshake handshake{make_session_id(context_.node_id), context_.limits.ping_interval_ms,
                                      context_.limits.ping_timeout_ms, context_.limits.max_payload, {}};
  send(core::make_frame(protocol::encode_engine_open(handshake)));
  context_.hub.on_open(id_);
  opened_at_ = std::chrono::steady_clock::now();
  log_socket_connect("websocket", id_, slot_.address());
  wait_readable();
  schedule_ping();
}

// --- reading ------------------------------------------------------------------------

void WebSocketSession::wait_readable() {
  if (read_armed_ || finished_) return;
  read_armed_ = true;
  read_paused_ = false;
  socket_.async_wait(asio::ip::tcp::socket::wait_read,
                     beast::bind_front_handler(&WebSocketSession::on_readable, shared_from_this()));
}

void WebSocketSession::on_readable(beast::error_code ec) {
  read_armed_ = false;
  if (finished_) return;
  if (ec) {
    if (ec != asio::error::operation_aborted) spdlog::debug("connection {} read ended: {}", id_, ec.message());
    finish();
    return;
  }
  auto& buffer = read_buffer();
  for (int round = 0; round < max_reads_per_wakeup; ++round) {
    const auto bytes = socket_.read_some(asio::buffer(buffer), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) {
      // The peer went away without a close frame (or after ours): nothing left to say.
      if (ec != asio::error::eof) spdlog::debug("connection {} read ended: {}", id_, ec.message());
      abort();
      return;
    }
    if (draining_) continue;  // after our final close frame: read only to let the peer hear it
    context_.flusher.note_read();
    bool keep_reading = false;
    try {
      keep_reading = consume(buffer.data(), bytes);
    } catch (const std::exception& error) {
      read_failed(error);
      return;
    }
    if (!keep_reading && !draining_) return;
    if (read_paused_) return;  // on_write resumes once the backlog drains
    if (bytes < buffer.size()) break;
  }
  wait_readable();
}

// What the core or this session threw while handling this peer's input: this connection
// is dropped, every other one is served on (run_loop.hpp is the net under the rest).
void WebSocketSession::read_failed(const std::exception& error) {
  spdlog::error("connection {}: handling its input failed, dropping it: {}", id_, error.what());
  partial_.clear();
  abort();
}

bool WebSocketSession::over_read_pause_mark() const {
  return backlog_bytes() > context_.limits.read_pause_bytes || pending_frames_ > context_.limits.read_pause_frames;
}

// The backlog drained below the mark: first the frames already read but left unparsed,
// then the socket again.
void WebSocketSession::resume_reading() {
  read_paused_ = false;
  if (!partial_.empty()) {
    bool keep_reading = false;
    try {
      keep_reading = consume(nullptr, 0);
    } catch (const std::exception& error) {
      read_failed(error);
      return;
    }
    if (!keep_reading || read_paused_) return;
  }
  wait_readable();
}

// Parses every complete frame in `partial_` + the new bytes; keeps the unfinished rest,
// and everything after the frame that took the backlog over the read-pause mark.
// `data` is the shared read buffer (or empty): frames are unmasked in place.
bool WebSocketSession::consume(const char* data, std::size_t size) {
  std::span<char> input(const_cast<char*>(data), size);
  if (!partial_.empty()) {
    partial_.append(data, size);
    input = std::span<char>(partial_.data(), partial_.size());
  }
  std::size_t offset = 0;
  bool keep_reading = true;
  while (offset < input.size()) {
    const auto budget = context_.limits.max_payload - (in_message_ ? message_.size() : 0);
    const auto frame = ws::parse_client_frame(input.subspan(offset), budget);
    if (frame.status == ws::ParsedFrame::Status::need_more) break;
    if (frame.status == ws::ParsedFrame::Status::violation) {
      fail(frame.close_code);
      keep_reading = false;
      break;
    }
    offset += frame.consumed;
    if (!on_frame(frame)) {
      keep_reading = false;
      break;
    }
    if (overflowed_) {
      keep_reading = false;
      break;
    }
    if (over_read_pause_mark()) {
      read_paused_ = true;
      break;
    }
  }
  if (!keep_reading || finished_) {
    partial_.clear();
    return false;
  }
  if (input.data() == partial_.data()) {
    partial_.erase(0, offset);
    if (partial_.empty()) release_if_large(partial_);
  } else if (offset < size) {
    partial_.assign(data + offset, size - offset);
  }
  return true;
}

bool WebSocketSession::on_frame(const ws::ParsedFrame& frame) {
  switch (frame.opcode) {
    case ws::Opcode::text:
    case ws::Opcode::binary:
      if (in_message_) {
        fail(ws::close_protocol_error);
        return false;
      }
      if (frame.fin) return on_message(frame.opcode, frame.payload);
      in_message_ = true;
      message_opcode_ = frame.opcode;
      message_.assign(frame.payload);
      return true;
    case ws::Opcode::continuation: {
      if (!in_message_) {
        fail(ws::close_protocol_error);
        return false;
      }
      message_.append(frame.payload);
      if (!frame.fin) return true;
      in_message_ = false;
      const std::string message = std::move(message_);
      message_.clear();
      return on_message(message_opcode_, message);
    }
    case ws::Opcode::ping:
      if (close_queued_) return true;
      return queue_frame(ws::Opcode::pong, frame.payload);
    case ws::Opcode::pong:
      return true;
    case ws::Opcode::close: {
      close_received_ = true;
      // A reserved code or a reason that is not UTF-8 is answered, not echoed (RFC 6455 7.4).
      if (const auto violation = ws::close_body_violation(frame.payload); violation != 0) {
        fail(violation);
        return false;
      }
      if (close_queued_) {
        // The answer to our close: the handshake is complete once our frame is out.
        if (!writing_ && pending_.empty()) abort();
        else drop_after_close_ = true;
        return false;
      }
      // Echo the peer's code and reason, as Beast did, then drop the connection.
      closing_ = true;
      close_queued_ = true;
      drop_after_close_ = true;
      queue_frame(ws::Opcode::close, frame.payload);
      return false;
    }
  }
  return true;
}

bool WebSocketSession::on_message(ws::Opcode opcode, std::string_view payload) {
  if (closing_) return true;  // closing: what the peer still sends is read and ignored
  if (upgrading_) {
    if (opcode == ws::Opcode::binary || !ws::valid_utf8(payload)) {
      abort();
      return false;
    }
    handle_upgrade_packet(payload);
    return !finished_;
  }
  if (opcode == ws::Opcode::binary) {
    context_.hub.on_binary(id_);
  } else {
    if (!ws::valid_utf8(payload)) {
      fail(ws::close_invalid_payload);
      return false;
    }
    handle_text(payload);
  }
  return !finished_;
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

// The probe and the switch (docs/protocol.md, "Transports"); anything else drops the probe.
void WebSocketSession::handle_upgrade_packet(std::string_view frame) {
  if (frame == "2probe") {
    queue_frame(ws::Opcode::text, "3probe");
    upgrading_->probed();
    return;
  }
  if (frame == "5") {
    const auto polling = std::move(upgrading_);
    upgrade_deadline_.cancel();
    const auto adopted = polling->complete_upgrade(weak_from_this(), [this](const core::Frame& queued) { send(queued); });
    if (!adopted) {
      abort();
      return;
    }
    id_ = *adopted;
    schedule_ping();
    return;
  }
  spdlog::debug("a probing WebSocket sent {:.20}; dropping it", frame);
  abort();
}

// --- writing ------------------------------------------------------------------------

void WebSocketSession::send(const core::Frame& frame) {
  if (closing_ || finished_) return;
  queue_frame(ws::Opcode::text, *frame);
}

bool WebSocketSession::queue_frame(ws::Opcode opcode, std::string_view payload) {
  if (finished_ || overflowed_) return false;
  // Checked before appending, so the backlog never passes the limit, not even by one frame.
  if (pending_frames_ + 1 > context_.limits.max_queued_frames ||
      backlog_bytes() + ws::server_frame_size(payload.size()) > context_.limits.max_queued_bytes) {
    drop_overflowing();
    return false;
  }
  ++pending_frames_;
  ws::append_server_frame(pending_, opcode, payload);
  schedule_write();
  return true;
}

void WebSocketSession::drop_overflowing() {
  spdlog::warn("connection {} is not reading ({} frames, {} bytes queued); dropping it", id_, pending_frames_,
               backlog_bytes());
  context_.metrics.count_connection_refused("write_backlog");
  // Not here: this runs inside the core (often in the middle of a room broadcast), and
  // dropping the connection tells the core it left the room. Take nothing more, then drop.
  overflowed_ = true;
  closing_ = true;
  pending_.clear();
  pending_frames_ = 0;
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->abort(); });
}

// The write starts once the handlers already queued have run (WriteFlusher), so that a
// broadcast burst, or several events read at once, reaches each socket in one send().
void WebSocketSession::schedule_write() {
  if (writing_ || write_scheduled_ || finished_) return;
  write_scheduled_ = true;
  context_.flusher.enqueue(shared_from_this());
}

std::optional<ParallelSender::Job> WebSocketSession::take_pending_write() {
  write_scheduled_ = false;
  if (writing_ || pending_.empty() || finished_) return std::nullopt;
  writing_ = true;
  close_in_flight_ = close_queued_;
  pending_frames_ = 0;
  std::swap(pending_, in_flight_);
  return ParallelSender::Job{socket_.native_handle(), in_flight_.data(), in_flight_.size()};
}

void WebSocketSession::finish_write(const ParallelSender::Job& job) {
  socket_lent_ = false;
  if (close_when_returned_) {
    close_when_returned_ = false;
    beast::error_code ignored;
    socket_.close(ignored);
  }
  if (finished_) {
    on_write(asio::error::operation_aborted, job.sent);
  } else if (job.error != 0) {
    on_write(beast::error_code(job.error, boost::system::system_category()), job.sent);
  } else if (job.sent == job.size) {
    on_write({}, job.sent);
  } else {
    // The socket is full: the rest goes out as the peer reads.
    asio::async_write(socket_, asio::buffer(in_flight_.data() + job.sent, in_flight_.size() - job.sent),
                      beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
  }
}

void WebSocketSession::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  in_flight_.clear();
  if (ec || finished_) {
    abort();
    return;
  }
  if (close_in_flight_ && drop_after_close_) {
    // Our close frame is out and nothing more is expected from the peer. Closing the
    // socket now, with the peer's bytes still unread (say the rest of a frame that was too
    // big), would make the kernel answer with a reset that can overtake the close frame:
    // the peer would see 1006 instead of our code. So stop sending, discard what still
    // arrives, and close when the peer does (or when the close timer gives up on it).
    beast::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    if (!draining_) {
      draining_ = true;
      wait_readable();
      close_timer_.expires_after(3s);
      close_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
        if (!wait_ec) self->abort();
      });
    }
    return;
  }
  if (read_paused_ && !over_read_pause_mark()) {
    resume_reading();
    if (finished_) return;
  }
  if (!pending_.empty()) {
    schedule_write();
    return;
  }
  release_if_large(in_flight_);
  release_if_large(pending_);
  if (closing_ && !close_queued_) send_close(close_code_, false);
}

void WebSocketSession::close_over_capacity() {
  if (closing_ || finished_) return;
  close_code_ = ws::close_try_again_later;
  close_after_flush();
}

void WebSocketSession::close_after_flush() {
  if (closing_ || finished_) return;
  closing_ = true;
  if (!writing_ && pending_.empty()) send_close(close_code_, false);
  // A peer that never completes the close handshake does not get to keep the socket.
  close_timer_.expires_after(3s);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->abort();
  });
}

void WebSocketSession::send_close(std::uint16_t code, bool drop_after) {
  if (close_queued_ || finished_) return;
  close_queued_ = true;
  drop_after_close_ = drop_after || close_received_;
  queue_frame(ws::Opcode::close, ws::close_payload(code));
}

void WebSocketSession::fail(std::uint16_t code) {
  spdlog::debug("connection {} broke the WebSocket protocol; closing with {}", id_, code);
  closing_ = true;
  send_close(code, true);
  close_timer_.expires_after(3s);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->abort();
  });
}

// --- liveness and teardown ------------------------------------------------------------

// Engine.IO v4: a ping every pingInterval; each ping must be answered within
// pingTimeout. Clients also expect the next ping within interval + timeout, so the
// interval clock never waits for the pong.
void WebSocketSession::schedule_ping() {
  ping_timer_.expires_after(std::chrono::milliseconds(context_.limits.ping_interval_ms));
  ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->finished_) return;
    self->send(core::make_frame(std::string(protocol::engine_ping_frame)));
    // Still waiting for an earlier pong (pingInterval < pingTimeout): its deadline
    // stands; re-arming it with every ping would keep a silent peer forever.
    if (!self->awaiting_pong_) {
      self->awaiting_pong_ = true;
      self->pong_deadline_.expires_after(std::chrono::milliseconds(self->context_.limits.ping_timeout_ms));
      self->pong_deadline_.async_wait([self](beast::error_code deadline_ec) {
        if (deadline_ec || self->finished_ || !self->awaiting_pong_) return;
        spdlog::debug("connection {} missed its pong; closing", self->id_);
        self->abort();
      });
    }
    self->schedule_ping();
  });
}

void WebSocketSession::abort() {
  beast::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  if (socket_lent_) {
    close_when_returned_ = true;  // the helper's send fails on the shut socket; then close
  } else {
    socket_.close(ignored);
  }
  finish();
}

void WebSocketSession::finish() {
  if (finished_) return;
  finished_ = true;
  ping_timer_.cancel();
  pong_deadline_.cancel();
  close_timer_.cancel();
  upgrade_deadline_.cancel();
  if (upgrading_) {
    upgrading_->upgrade_abandoned();
    upgrading_.reset();
  }
  // in_flight_ stays until its write completes (with an error now): it points there.
  pending_.clear();
  if (id_ != 0) {
    context_.registry.remove(id_);
    log_socket_disconnect("websocket", id_, slot_.address(), context_.hub.user_of(id_),
                          std::chrono::steady_clock::now() - opened_at_);
    context_.hub.on_close(id_);
  }
}

}  // namespace harmonic::net
