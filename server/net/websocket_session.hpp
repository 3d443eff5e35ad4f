// One Engine.IO v4 connection over WebSocket: sends the open packet, pings on
// schedule and drops peers that stop answering, unwraps "message" packets for the
// core, and writes the core's frames from a bounded buffer.
//
// Beast performs the HTTP upgrade (validation, the 101 answer, the handshake deadline);
// after it the session frames the socket itself (websocket_frames.hpp), because that is
// where the time goes under load:
//   - writes are coalesced: frames queued while a write is in flight, or during the
//     same turn of the event loop, leave in one send() (Beast writes one message per
//     call); each WebSocket message is still its own frame;
//   - reads wait for readiness and then read into one buffer shared by all sessions,
//     parsing every frame that arrived; an idle connection holds no buffers at all.
//
// Every frame the session queues (the core's, pongs, Engine.IO probe answers, close
// frames) counts against the same per-connection bounds (TransportLimits), checked before
// the frame is appended; a connection that would pass them is dropped. Below that hard
// limit there is backpressure: while the write backlog is over the read-pause mark the
// session stops reading (and stops parsing what it already read), so a peer that sends
// pings and never reads cannot make it queue more; reading resumes once the backlog
// drains below the mark. A peer that never drains is dropped by the Engine.IO ping
// deadline (its pong cannot be read) or by the hard limit.
//
// Upgrade from long-polling: a WebSocket whose URL names a polling session's sid sends
// no open packet and is no connection of its own yet. It answers the client's "2probe"
// with "3probe" (the polling session then releases its held GET), and on "5" takes over
// the session's connection id and buffered frames (PollingSession::complete_upgrade).
// Anything else before "5", or no "5" within `upgrade_timeout`, drops it; polling goes on.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "net/frame_sink.hpp"
#include "net/parallel_sender.hpp"
#include "net/polling_session.hpp"
#include "net/server_context.hpp"
#include "net/websocket_frames.hpp"

namespace harmonic::net {

class WebSocketSession final : public FrameSink, public std::enable_shared_from_this<WebSocketSession> {
 public:
  // The reference server's upgradeTimeout.
  static constexpr std::chrono::seconds upgrade_timeout{10};

  // `upgrading`: the polling session this WebSocket is to take over (null: a new session).
  WebSocketSession(boost::beast::tcp_stream&& stream, ServerContext& context, ConnectionSlot slot,
                   std::shared_ptr<PollingSession> upgrading = nullptr);
  void run(boost::beast::http::request<boost::beast::http::string_body> upgrade);

  void send(const core::Frame& frame) override;
  void close_after_flush() override;
  void close_over_capacity() override;
  bool is_closing() const override { return closing_ || finished_; }

  // For WriteFlusher: hands over the frames queued since the last write (none while a
  // write is in flight), then takes the outcome of sending them.
  std::optional<ParallelSender::Job> take_pending_write();
  // The socket is being written on another thread until finish_write: closing it now
  // could hand its descriptor number to a new connection mid-write, so abort() waits.
  void lend_socket() { socket_lent_ = true; }
  void finish_write(const ParallelSender::Job& job);

 private:
  void on_accept(boost::beast::error_code ec);
  void wait_readable();
  void on_readable(boost::beast::error_code ec);
  bool consume(const char* data, std::size_t size);  // false: stop reading
  void resume_reading();
  bool over_read_pause_mark() const;
  std::size_t backlog_bytes() const { return pending_.size() + in_flight_.size(); }
  void read_failed(const std::exception& error);
  bool on_frame(const ws::ParsedFrame& frame);
  bool on_message(ws::Opcode opcode, std::string_view payload);
  void handle_text(std::string_view frame);
  void handle_upgrade_packet(std::string_view frame);  // while `upgrading_` is set
  // False when the frame would pass the connection's bounds: it is being dropped.
  bool queue_frame(ws::Opcode opcode, std::string_view payload);
  void drop_overflowing();
  void schedule_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void send_close(std::uint16_t code, bool drop_after);
  void fail(std::uint16_t code);  // the peer broke the protocol: close frame, then drop
  void schedule_ping();
  void abort();    // drop the TCP connection without a close handshake
  void finish();   // tell the core and the registry, exactly once

  std::unique_ptr<boost::beast::websocket::stream<boost::beast::tcp_stream>> handshake_;
  boost::beast::http::request<boost::beast::http::string_body> upgrade_;
  boost::asio::ip::tcp::socket socket_;
  ServerContext& context_;
  ConnectionSlot slot_;  // this connection's share of the connection caps
  std::chrono::steady_clock::time_point opened_at_;  // for the access log's duration
  core::ConnectionId id_ = 0;
  std::shared_ptr<PollingSession> upgrading_;  // until "5" completes the switch

  std::string partial_;        // the start of a frame whose rest has not arrived
  std::string message_;        // a fragmented message, until its last frame
  ws::Opcode message_opcode_ = ws::Opcode::text;
  bool in_message_ = false;

  std::string pending_;        // frames waiting for the next write, already framed
  std::string in_flight_;      // frames being written
  std::size_t pending_frames_ = 0;
  bool writing_ = false;
  bool write_scheduled_ = false;

  bool closing_ = false;         // no more frames from the core; incoming messages ignored
  std::uint16_t close_code_ = ws::close_normal;  // what close_after_flush closes with
  bool close_queued_ = false;    // our close frame is in pending_ or in_flight_
  bool close_in_flight_ = false;
  bool drop_after_close_ = false;
  bool draining_ = false;     // final close frame sent; reading only until the peer closes
  bool close_received_ = false;
  bool finished_ = false;
  bool socket_lent_ = false;
  bool close_when_returned_ = false;
  bool awaiting_pong_ = false;
  bool read_armed_ = false;      // an async_wait for readability is outstanding
  bool read_paused_ = false;     // backpressure: not reading until the backlog drains
  bool overflowed_ = false;      // the bounds were reached: being dropped
  boost::asio::steady_timer ping_timer_;
  boost::asio::steady_timer pong_deadline_;
  boost::asio::steady_timer close_timer_;
  boost::asio::steady_timer upgrade_deadline_;
};

}  // namespace harmonic::net
