// One Engine.IO v4 session over HTTP long-polling (docs/protocol.md, "Transports").
//
// To the core it is just another connection id: the registry hands it the core's frames
// like a WebSocketSession, and it tells the core of packets and of its end. It owns the
// session's write buffer: frames wait here until the client's next GET takes them all as
// one payload. That buffer has the same bounds as a WebSocket's write backlog
// (TransportLimits: frames and bytes, checked before a frame is appended; past them the
// session is dropped, `write_backlog`), and the session holds its own ConnectionSlot.
//
// Requests arrive on whatever HTTP connections the client uses. At most one GET and one
// POST may be in progress at a time; a second of either ends the session (400). A GET
// with nothing to send is held until there is something, a ping is due, or
// TransportLimits::max_poll_hold_ms passed (then it gets a noop), so no proxy's idle
// timeout cuts it.
//
// Upgrade: a WebSocket that names this sid probes with "2probe"; once it did, a held GET
// is answered (with a noop if nothing waits) so the client can pause polling; its "5"
// moves the connection id and every buffered frame, in order, to the WebSocket, and this
// session ends without the core noticing.
//
// Single-threaded: everything runs on the event loop's thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/connection_caps.hpp"
#include "net/frame_sink.hpp"

namespace harmonic::net {

struct ServerContext;

// What an HTTP request to the polling transport is answered.
struct PollingAnswer {
  unsigned status = 200;
  // Always one of a few literals: a view, so no answer allocates for its type.
  std::string_view content_type;
  std::string body;
};

class PollingSession final : public FrameSink, public std::enable_shared_from_this<PollingSession> {
 public:
  using Reply = std::function<void(PollingAnswer)>;

  PollingSession(ServerContext& context, boost::asio::any_io_executor executor, std::string sid, ConnectionSlot slot);
  // Joins the registry and the core and queues the open packet.
  void start();
  const std::string& sid() const { return sid_; }
  core::ConnectionId id() const { return id_; }
  bool finished() const { return finished_; }

  // --- the transport's requests ---
  // A GET: the payload now, or nullopt when the GET is held and `reply` gets it later
  // (exactly once, on the event loop, never from inside this call).
  std::optional<PollingAnswer> get(Reply reply);
  // The held GET's connection closed before it was answered: the session ends.
  void get_cancelled();
  // A POST's headers arrived; false when another POST is still in progress: the
  // session is then closed, and this POST is to be answered 400.
  bool begin_post();
  // The POST's body arrived: its packets go to the core; answered "ok". Backpressure, as
  // a WebSocket stops reading: while the write buffer is over the read-pause mark
  // (TransportLimits) the body waits, unread by the core, until a GET drains the buffer;
  // nullopt then, and `reply` gets the answer.
  std::optional<PollingAnswer> finish_post(std::string_view body, Reply reply);
  // The waiting POST's connection closed: the session ends.
  void post_cancelled();
  // The POST's connection died, or its body was too large (`too_large`: the session is
  // closed, as the reference server does).
  void abandon_post(bool too_large);

  // --- upgrade to WebSocket ---
  // A WebSocket with this sid arrived; false when one already is probing, or the session
  // is closing.
  bool begin_upgrade();
  // It answered the client's "2probe": a held GET is released.
  void probed();
  // The client's "5": the registry's entry for this connection now points at `websocket`,
  // every buffered frame goes to `forward` in order, and this session ends quietly.
  // nullopt (and nothing moved) when the session closed meanwhile.
  std::optional<core::ConnectionId> complete_upgrade(std::weak_ptr<FrameSink> websocket,
                                                     const std::function<void(const core::Frame&)>& forward);
  // The probing WebSocket went away or timed out: polling goes on.
  void upgrade_abandoned();

  // --- FrameSink: the core's side ---
  void send(const core::Frame& frame) override;
  void close_after_flush() override;
  void close_over_capacity() override { close_after_flush(); }
  bool is_closing() const override { return closing_ || finished_; }

 private:
  bool push(core::Frame frame);  // false: over the bounds, being dropped
  std::string take_payload();
  void schedule_flush();
  void flush();
  void answer_held(PollingAnswer answer);
  void hold(Reply reply);
  void arm_hold_timer(std::chrono::steady_clock::time_point deadline);
  void schedule_ping();
  void handle_packet(std::string_view packet);
  void run_post(std::string_view body);
  bool over_read_pause_mark() const;
  void resume_waiting_post();
  // Ends the session: the core and the registry are told, the sid forgotten; a held
  // GET gets `last_packet`.
  void terminate(std::string_view last_packet);
  void terminate_later(std::string_view last_packet);

  ServerContext& context_;
  boost::asio::any_io_executor executor_;
  std::string sid_;
  ConnectionSlot slot_;
  std::chrono::steady_clock::time_point opened_at_;  // for the access log's duration
  core::ConnectionId id_ = 0;

  std::vector<core::Frame> pending_;  // in order; each one Engine.IO packet
  std::size_t pending_bytes_ = 0;     // the payload they make, separators included
  Reply held_;                        // set while a GET waits
  bool flush_posted_ = false;
  bool post_in_progress_ = false;
  std::string waiting_body_;          // a POST held back by backpressure
  Reply waiting_post_;

  bool closing_ = false;          // no more frames from the core; the close packet is queued
  bool close_taken_ = false;      // a GET took the close packet: the session ends
  bool finished_ = false;
  bool awaiting_pong_ = false;
  bool upgrading_ = false;        // a WebSocket with this sid is probing
  bool probed_ = false;           // ... and answered "2probe"
  std::chrono::steady_clock::time_point held_since_;  // when the held GET arrived
  bool hold_timer_armed_ = false;
  boost::asio::steady_timer hold_timer_;
  boost::asio::steady_timer ping_timer_;
  boost::asio::steady_timer pong_deadline_;
  boost::asio::steady_timer close_timer_;
};

}  // namespace harmonic::net
