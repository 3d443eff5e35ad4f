// A Socket.IO v5 client session over an abstract WebSocket transport: the Engine.IO
// handshake, answering pings, the CONNECT with auth, events with acks, and the
// reconnection state machine. It owns no clock and no thread: the caller passes the
// current time to open() and update(), so every schedule is testable.
//
//   Session s(factory, ReconnectPolicy{});
//   s.set_handlers({...});
//   s.open("ws://host/socket.io/?EIO=4&transport=websocket", {{"token", t}}, now);
//   every frame: s.update(now);
//   s.emit("universe:join", {...}, [](const nlohmann::json& ack) {...});
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "client/reconnect.hpp"
#include "client/transport.hpp"
#include "protocol/engineio.hpp"
#include "protocol/socketio.hpp"

namespace harmonic::client {

enum class ConnectionStatus { disconnected, connecting, connected, reconnecting };
const char* to_string(ConnectionStatus status);

// Why the session stopped trying (valid while status is disconnected).
enum class StopReason { none, closed_by_user, unauthorized, attempts_exhausted, server_disconnect };

class Session {
 public:
  using AckCallback = std::function<void(const nlohmann::json& response)>;

  struct Handlers {
    // The CONNECT was accepted. `reconnected` is true after a lost connection came back.
    std::function<void(bool reconnected)> on_connected;
    std::function<void(const protocol::Event& event)> on_event;
    // The connection was lost or closed; `will_retry` tells whether a retry is scheduled.
    std::function<void(const std::string& reason, bool will_retry)> on_disconnected;
    // A reconnection attempt starts now (1-based), like socket.io's reconnect_attempt.
    std::function<void(int attempt)> on_reconnect_attempt;
    std::function<void()> on_reconnect_failed;
    // CONNECT_ERROR from the server (e.g. {"message":"unauthorized"}).
    std::function<void(const std::string& message)> on_connect_error;
    // Every frame in and out, for the debug event log (outgoing = true when sent).
    std::function<void(bool outgoing, std::string_view frame)> on_frame;
  };

  Session(TransportFactory factory, ReconnectPolicy policy, std::uint64_t seed = 1);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void set_handlers(Handlers handlers) { handlers_ = std::move(handlers); }

  // Starts connecting (closing any current connection). `auth` is sent in CONNECT.
  void open(std::string url, nlohmann::json auth, double now_ms);
  void set_auth(nlohmann::json auth) { auth_ = std::move(auth); }
  // Closes for good: no reconnection. Pending acks fail with code "disconnected".
  void close();
  // Drives timers: scheduled reconnection, ping timeout, ack timeouts.
  void update(double now_ms);
  // Tries again right away after attempts were exhausted (a "retry" button).
  void retry_now(double now_ms);

  // Sends an event when connected; returns false (and fails the ack) otherwise.
  bool emit(const std::string& name, const nlohmann::json& payload, AckCallback ack = {},
            double ack_timeout_ms = 10000);

  ConnectionStatus status() const { return status_; }
  StopReason stop_reason() const { return stop_reason_; }
  int attempt() const { return attempt_; }  // current/last reconnection attempt, 0 if none
  int max_attempts() const { return backoff_.policy().attempts; }
  double next_attempt_at_ms() const { return next_attempt_at_; }
  const std::string& sid() const { return sid_; }
  const protocol::EngineHandshake& handshake() const { return handshake_; }
  std::size_t pending_acks() const { return acks_.size(); }

 private:
  void start_transport(double now_ms);
  void on_transport_open();
  void on_transport_message(std::string_view text);
  void on_transport_close(int code, const std::string& reason);
  void lost(const std::string& reason, bool may_retry);
  void handle_socket_packet(std::string_view payload);
  void send_frame(const std::string& frame);
  void fail_pending_acks(const std::string& code, const std::string& message);

  TransportFactory factory_;
  Backoff backoff_;
  Handlers handlers_;
  std::unique_ptr<WebSocketTransport> transport_;
  std::uint64_t generation_ = 0;  // ignores callbacks from an abandoned transport

  std::string url_;
  nlohmann::json auth_;
  ConnectionStatus status_ = ConnectionStatus::disconnected;
  StopReason stop_reason_ = StopReason::none;
  bool engine_open_ = false;
  bool ever_connected_ = false;
  int attempt_ = 0;
  double next_attempt_at_ = 0;
  double now_ = 0;
  double last_server_activity_ = 0;
  protocol::EngineHandshake handshake_;
  std::string sid_;

  struct PendingAck {
    AckCallback callback;
    double deadline_ms;
  };
  std::uint64_t next_ack_id_ = 1;
  std::map<std::uint64_t, PendingAck> acks_;
};

// The WebSocket URL of the Socket.IO endpoint for a page or API origin:
// "http://h:p" -> "ws://h:p/socket.io/?EIO=4&transport=websocket" (https -> wss).
std::string socket_url_for(const std::string& http_origin);

}  // namespace harmonic::client
