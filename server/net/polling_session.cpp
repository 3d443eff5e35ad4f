#include "net/polling_session.hpp"

#include <utility>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "net/access_log.hpp"
#include "net/engineio_payload.hpp"
#include "net/engineio_request.hpp"
#include "net/polling_sessions.hpp"
#include "net/server_context.hpp"
#include "net/websocket_frames.hpp"
#include "protocol/engineio.hpp"

namespace harmonic::net {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {
constexpr std::string_view payload_type = "text/plain; charset=UTF-8";
constexpr std::string_view close_packet = "1";
constexpr std::string_view noop_packet = "6";

PollingAnswer payload_answer(std::string body) { return {200, payload_type, std::move(body)}; }

PollingAnswer engine_answer(EngineError error) {
  auto answer = engine_error_answer(error);
  return {answer.status, "application/json", std::move(answer.body)};
}
}  // namespace

PollingSession::PollingSession(ServerContext& context, asio::any_io_executor executor, std::string sid,
                               ConnectionSlot slot)
    : context_(context),
      executor_(std::move(executor)),
      sid_(std::move(sid)),
      slot_(std::move(slot)),
      hold_timer_(executor_),
      ping_timer_(executor_),
      pong_deadline_(executor_),
      close_timer_(executor_) {}

void PollingSession::start() {
  id_ = context_.registry.add(weak_from_this());
  protocol::EngineHandshake handshake{sid_, context_.limits.ping_interval_ms, context_.limits.ping_timeout_ms,
                                      context_.limits.max_payload, {"websocket"}};
  push(core::make_frame(protocol::encode_engine_open(handshake)));
  context_.hub.on_open(id_);
  opened_at_ = std::chrono::steady_clock::now();
  log_socket_connect("polling", id_, slot_.address());
  schedule_ping();
}

// --- the client's requests ---------------------------------------------------------------

std::optional<PollingAnswer> PollingSession::get(Reply reply) {
  if (finished_) return engine_answer(EngineError::unknown_sid);
  if (held_) {
    // Two GETs at once: the reference server treats it as a broken client.
    spdlog::debug("polling session {}: a second concurrent GET; closing", id_);
    terminate(close_packet);
    return engine_answer(EngineError::bad_request);
  }
  if (!pending_.empty()) {
    auto answer = payload_answer(take_payload());
    if (close_taken_) terminate({});
    return answer;
  }
  // Probed: the client is pausing polling to switch; this GET must not wait.
  if (probed_) return payload_answer(std::string(noop_packet));
  hold(std::move(reply));
  return std::nullopt;
}

// The hold timer is armed lazily: answering a GET does not cancel it, and a GET held
// while it runs does not re-arm it. When it fires it answers a GET held for the whole
// max_poll_hold_ms, or waits on for the one held now. A busy session, polling many times a
// second, so costs one timer wake-up per max_poll_hold_ms instead of a timer set and
// cancelled per GET (bench/results/polling-2026-12-04.md).
void PollingSession::hold(Reply reply) {
  held_ = std::move(reply);
  held_since_ = std::chrono::steady_clock::now();
  if (!hold_timer_armed_) arm_hold_timer(held_since_ + std::chrono::milliseconds(context_.limits.max_poll_hold_ms));
}

void PollingSession::arm_hold_timer(std::chrono::steady_clock::time_point deadline) {
  hold_timer_armed_ = true;
  hold_timer_.expires_at(deadline);
  hold_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!self) return;
    self->hold_timer_armed_ = false;
    if (ec || !self->held_ || self->finished_) return;
    const auto due = self->held_since_ + std::chrono::milliseconds(self->context_.limits.max_poll_hold_ms);
    if (std::chrono::steady_clock::now() < due) {
      self->arm_hold_timer(due);  // this GET came after the one the timer was armed for
      return;
    }
    self->answer_held(payload_answer(std::string(noop_packet)));
  });
}

void PollingSession::answer_held(PollingAnswer answer) {
  if (!held_) return;
  auto reply = std::move(held_);
  held_ = nullptr;
  reply(std::move(answer));
}

void PollingSession::get_cancelled() {
  if (!held_ || finished_) return;
  held_ = nullptr;
  spdlog::debug("polling session {}: the client cancelled its GET; closing", id_);
  terminate({});
}

bool PollingSession::begin_post() {
  if (finished_) return false;
  if (post_in_progress_) {
    spdlog::debug("polling session {}: a second concurrent POST; closing", id_);
    terminate(close_packet);
    return false;
  }
  post_in_progress_ = true;
  return true;
}

void PollingSession::abandon_post(bool too_large) {
  post_in_progress_ = false;
  if (too_large && !finished_) {
    spdlog::debug("polling session {}: a POST over maxPayload; closing", id_);
    terminate(close_packet);
  }
}

std::optional<PollingAnswer> PollingSession::finish_post(std::string_view body, Reply reply) {
  if (finished_) {
    post_in_progress_ = false;
    return engine_answer(EngineError::unknown_sid);
  }
  if (over_read_pause_mark()) {
    waiting_body_.assign(body);
    waiting_post_ = std::move(reply);
    return std::nullopt;  // post_in_progress_ stays: a second POST meanwhile is an overlap
  }
  post_in_progress_ = false;
  run_post(body);
  return PollingAnswer{200, "text/html", "ok"};
}

bool PollingSession::over_read_pause_mark() const {
  return pending_bytes_ > context_.limits.read_pause_bytes || pending_.size() > context_.limits.read_pause_frames;
}

// A GET took the buffer: the POST that waited for it goes to the core now.
void PollingSession::resume_waiting_post() {
  if (!waiting_post_ || over_read_pause_mark()) return;
  asio::post(executor_, [self = shared_from_this()] {
    if (!self->waiting_post_ || self->finished_) return;
    auto reply = std::move(self->waiting_post_);
    self->waiting_post_ = nullptr;
    const auto body = std::move(self->waiting_body_);
    self->waiting_body_.clear();
    self->post_in_progress_ = false;
    self->run_post(body);
    reply({200, "text/html", "ok"});
  });
}

void PollingSession::post_cancelled() {
  if (!waiting_post_ || finished_) return;
  waiting_post_ = nullptr;
  spdlog::debug("polling session {}: the client gave up on a waiting POST; closing", id_);
  terminate({});
}

void PollingSession::run_post(std::string_view body) {
  const auto packets = split_engine_payload(body);
  // Text only, as over WebSocket (where a frame that is not UTF-8 closes with 1007).
  if (!packets || !ws::valid_utf8(body)) {
    spdlog::debug("polling session {} posted a malformed payload; closing", id_);
    close_after_flush();
  } else {
    try {
      for (const auto packet : *packets) {
        // Closing: what the client still sends is read and ignored, as over WebSocket.
        if (finished_ || closing_) break;
        handle_packet(packet);
      }
    } catch (const std::exception& error) {
      // As over WebSocket: this session is dropped, every other one is served on.
      spdlog::error("polling session {}: handling its input failed, dropping it: {}", id_, error.what());
      terminate(close_packet);
    }
  }
}

void PollingSession::handle_packet(std::string_view packet) {
  if (packet.front() == 'b') {  // base64 binary: this server speaks text only
    context_.hub.on_binary(id_);
    return;
  }
  const auto parsed = protocol::parse_engine_packet(packet);
  if (!parsed) {
    spdlog::debug("polling session {} sent an unparseable Engine.IO packet; closing", id_);
    close_after_flush();
    return;
  }
  switch (parsed->type) {
    case protocol::EnginePacketType::message:
      context_.hub.on_packet(id_, parsed->data);
      return;
    case protocol::EnginePacketType::pong:
      awaiting_pong_ = false;
      return;
    case protocol::EnginePacketType::ping:
      push(core::make_frame("3" + std::string(parsed->data)));
      schedule_flush();
      return;
    case protocol::EnginePacketType::noop:
      return;
    case protocol::EnginePacketType::close:
      // The client leaves: a GET it still has waiting is released with a noop.
      terminate(noop_packet);
      return;
    default:  // open, upgrade: never from a client over polling
      close_after_flush();
      return;
  }
}

// --- the core's frames --------------------------------------------------------------------

void PollingSession::send(const core::Frame& frame) {
  if (closing_ || finished_) return;
  if (push(frame)) schedule_flush();
}

bool PollingSession::push(core::Frame frame) {
  if (finished_) return false;
  const auto added = frame->size() + (pending_.empty() ? 0 : 1);
  // Checked before appending, as for a WebSocket's backlog (websocket_session.hpp).
  if (pending_.size() + 1 > context_.limits.max_queued_frames ||
      pending_bytes_ + added > context_.limits.max_queued_bytes) {
    spdlog::warn("polling session {} is not polling ({} frames, {} bytes waiting); dropping it", id_, pending_.size(),
                 pending_bytes_);
    context_.metrics.count_connection_refused("write_backlog");
    // Often called from inside the core (a room broadcast): end the session afterwards.
    closing_ = true;
    pending_.clear();
    pending_bytes_ = 0;
    terminate_later(close_packet);
    return false;
  }
  pending_bytes_ += added;
  pending_.push_back(std::move(frame));
  return true;
}

std::string PollingSession::take_payload() {
  std::string payload;
  payload.reserve(pending_bytes_);
  for (const auto& frame : pending_) {
    append_engine_packet(payload, *frame);
    if (closing_ && *frame == close_packet) close_taken_ = true;
  }
  pending_.clear();
  pending_bytes_ = 0;
  resume_waiting_post();
  return payload;
}

// Frames queued in one turn of the event loop (a burst, or held back until a commit)
// leave in one answer.
void PollingSession::schedule_flush() {
  if (!held_ || flush_posted_ || finished_) return;
  flush_posted_ = true;
  asio::post(executor_, [self = shared_from_this()] {
    self->flush_posted_ = false;
    self->flush();
  });
}

void PollingSession::flush() {
  if (!held_ || pending_.empty() || finished_) return;
  answer_held(payload_answer(take_payload()));
  if (close_taken_) terminate({});
}

void PollingSession::close_after_flush() {
  if (closing_ || finished_) return;
  push(core::make_frame(std::string(close_packet)));
  closing_ = true;
  schedule_flush();
  // A client that does not come back for the close packet does not keep the session.
  close_timer_.expires_after(3s);
  close_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (auto self = weak.lock(); self && !ec) self->terminate(close_packet);
  });
}

// --- upgrade ------------------------------------------------------------------------------

bool PollingSession::begin_upgrade() {
  if (finished_ || closing_ || upgrading_) return false;
  upgrading_ = true;
  return true;
}

void PollingSession::probed() {
  if (!upgrading_ || finished_) return;
  probed_ = true;
  if (held_) answer_held(payload_answer(pending_.empty() ? std::string(noop_packet) : take_payload()));
  if (close_taken_) terminate({});
}

std::optional<core::ConnectionId> PollingSession::complete_upgrade(
    std::weak_ptr<FrameSink> websocket, const std::function<void(const core::Frame&)>& forward) {
  if (waiting_post_ && !finished_) {
    // The client should have waited for it; it goes to the core before the switch.
    auto reply = std::move(waiting_post_);
    waiting_post_ = nullptr;
    post_in_progress_ = false;
    run_post(std::exchange(waiting_body_, {}));
    reply({200, "text/html", "ok"});
  }
  if (finished_ || closing_ || !probed_) return std::nullopt;
  context_.registry.replace(id_, std::move(websocket));
  auto frames = std::move(pending_);
  pending_.clear();
  pending_bytes_ = 0;
  if (held_) answer_held(payload_answer(std::string(noop_packet)));
  finished_ = true;
  hold_timer_.cancel();
  ping_timer_.cancel();
  pong_deadline_.cancel();
  close_timer_.cancel();
  slot_ = ConnectionSlot{};  // the WebSocket's own connection counts from now on
  const auto self = shared_from_this();  // the table held the last reference
  context_.polling.remove(sid_);
  for (const auto& frame : frames) forward(frame);
  return id_;
}

void PollingSession::upgrade_abandoned() {
  upgrading_ = false;
  probed_ = false;
}

// --- liveness and teardown -----------------------------------------------------------------

// As over WebSocket: a ping every pingInterval, each answered within pingTimeout. Over
// polling the ping waits for the client's next GET, so the deadline covers that too.
void PollingSession::schedule_ping() {
  ping_timer_.expires_after(std::chrono::milliseconds(context_.limits.ping_interval_ms));
  ping_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->finished_) return;
    // Still waiting for the last pong: its deadline stands (a new ping must not move it).
    if (!self->closing_ && !self->awaiting_pong_ &&
        self->push(core::make_frame(std::string(protocol::engine_ping_frame)))) {
      self->schedule_flush();
      self->awaiting_pong_ = true;
      self->pong_deadline_.expires_after(std::chrono::milliseconds(self->context_.limits.ping_timeout_ms));
      self->pong_deadline_.async_wait([weak](boost::system::error_code deadline_ec) {
        auto session = weak.lock();
        if (deadline_ec || !session || session->finished_ || !session->awaiting_pong_) return;
        spdlog::debug("polling session {} missed its pong; closing", session->id_);
        session->terminate(close_packet);
      });
    }
    self->schedule_ping();
  });
}

void PollingSession::terminate_later(std::string_view last_packet) {
  asio::post(executor_, [self = shared_from_this(), packet = std::string(last_packet)] { self->terminate(packet); });
}

void PollingSession::terminate(std::string_view last_packet) {
  if (finished_) return;
  finished_ = true;
  hold_timer_.cancel();
  ping_timer_.cancel();
  pong_deadline_.cancel();
  close_timer_.cancel();
  pending_.clear();
  pending_bytes_ = 0;
  const auto self = shared_from_this();  // the table held the last reference
  context_.polling.remove(sid_);
  if (held_) answer_held(payload_answer(std::string(last_packet.empty() ? close_packet : last_packet)));
  if (waiting_post_) {
    auto reply = std::move(waiting_post_);
    waiting_post_ = nullptr;
    reply(engine_answer(EngineError::unknown_sid));
  }
  context_.registry.remove(id_);
  log_socket_disconnect("polling", id_, slot_.address(), context_.hub.user_of(id_),
                        std::chrono::steady_clock::now() - opened_at_);
  context_.hub.on_close(id_);
  slot_ = ConnectionSlot{};
}

}  // namespace harmonic::net
