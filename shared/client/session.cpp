#include "client/session.hpp"

#include "protocol/engineio.hpp"

namespace harmonic::client {

using nlohmann::json;
using protocol::EnginePacketType;

const char* to_string(ConnectionStatus status) {
  switch (status) {
    case ConnectionStatus::disconnected: return "disconnected";
    case ConnectionStatus::connecting: return "connecting";
    case ConnectionStatus::connected: return "connected";
    case ConnectionStatus::reconnecting: return "reconnecting";
  }
  return "disconnected";
}

std::string socket_url_for(const std::string& http_origin) {
  std::string base = http_origin;
  if (base.rfind("https://", 0) == 0) base = "wss://" + base.substr(8);
  else if (base.rfind("http://", 0) == 0) base = "ws://" + base.substr(7);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/socket.io/?EIO=4&transport=websocket";
}

Session::Session(TransportFactory factory, ReconnectPolicy policy, std::uint64_t seed)
    : factory_(std::move(factory)), backoff_(policy, seed) {}

Session::~Session() {
  ++generation_;
  if (transport_) transport_->close();
}

void Session::open(std::string url, json auth, double now_ms) {
  close();
  url_ = std::move(url);
  auth_ = std::move(auth);
  attempt_ = 0;
  ever_connected_ = false;
  stop_reason_ = StopReason::none;
  status_ = ConnectionStatus::connecting;
  start_transport(now_ms);
}

void Session::start_transport(double now_ms) {
  now_ = now_ms;
  ++generation_;
  if (transport_) transport_->close();
  transport_ = factory_();
  engine_open_ = false;
  last_server_activity_ = now_ms;
  const auto generation = generation_;
  WebSocketTransport::Callbacks callbacks;
  callbacks.on_open = [this, generation] {
    if (generation == generation_) on_transport_open();
  };
  callbacks.on_message = [this, generation](std::string_view text) {
    if (generation == generation_) on_transport_message(text);
  };
  callbacks.on_close = [this, generation](int code, std::string reason) {
    if (generation == generation_) on_transport_close(code, reason);
  };
  transport_->connect(url_, std::move(callbacks));
}

void Session::close() {
  ++generation_;
  const bool was_active = status_ != ConnectionStatus::disconnected;
  if (transport_) {
    if (status_ == ConnectionStatus::connected) send_frame("41");
    transport_->close();
    transport_.reset();
  }
  status_ = ConnectionStatus::disconnected;
  if (was_active) stop_reason_ = StopReason::closed_by_user;
  fail_pending_acks("disconnected", "the connection was closed");
}

void Session::retry_now(double now_ms) {
  if (status_ != ConnectionStatus::disconnected || url_.empty()) return;
  attempt_ = 0;
  stop_reason_ = StopReason::none;
  status_ = ever_connected_ ? ConnectionStatus::reconnecting : ConnectionStatus::connecting;
  start_transport(now_ms);
}

void Session::on_transport_open() {
  // Engine.IO speaks first (the open packet); nothing to send yet.
}

void Session::send_frame(const std::string& frame) {
  if (!transport_) return;
  if (handlers_.on_frame) handlers_.on_frame(true, frame);
  transport_->send(frame);
}

void Session::on_transport_message(std::string_view text) {
  last_server_activity_ = now_;
  if (handlers_.on_frame) handlers_.on_frame(false, text);
  auto packet = protocol::parse_engine_packet(text);
  if (!packet) return;
  switch (packet->type) {
    case EnginePacketType::open: {
      auto handshake = protocol::parse_engine_open(packet->data);
      if (!handshake) {
        lost("bad handshake", true);
        return;
      }
      handshake_ = *handshake;
      engine_open_ = true;
      send_frame(protocol::encode_connect_frame(auth_.is_null() ? json::object() : auth_));
      break;
    }
    case EnginePacketType::ping:
      send_frame(std::string(protocol::engine_pong_frame));
      break;
    case EnginePacketType::close:
      lost("transport close", true);
      break;
    case EnginePacketType::message:
      handle_socket_packet(packet->data);
      break;
    default:
      break;
  }
}

void Session::handle_socket_packet(std::string_view payload) {
  auto parsed = protocol::parse_socket_packet(payload);
  if (!std::holds_alternative<protocol::SocketPacket>(parsed)) return;
  auto& packet = std::get<protocol::SocketPacket>(parsed);
  switch (packet.type) {
    case protocol::SocketPacketType::connect: {
      sid_ = packet.data.is_object() ? packet.data.value("sid", "") : "";
      const bool reconnected = ever_connected_;
      ever_connected_ = true;
      status_ = ConnectionStatus::connected;
      attempt_ = 0;
      if (handlers_.on_connected) handlers_.on_connected(reconnected);
      break;
    }
    case protocol::SocketPacketType::connect_error: {
      std::string message = "connection refused";
      if (packet.data.is_object()) message = packet.data.value("message", message);
      else if (packet.data.is_string()) message = packet.data.get<std::string>();
      ++generation_;
      if (transport_) transport_->close();
      transport_.reset();
      status_ = ConnectionStatus::disconnected;
      stop_reason_ = StopReason::unauthorized;
      fail_pending_acks("unauthorized", message);
      if (handlers_.on_connect_error) handlers_.on_connect_error(message);
      break;
    }
    case protocol::SocketPacketType::disconnect:
      // The server ended this socket on purpose; like socket.io, do not reconnect.
      lost("io server disconnect", false);
      stop_reason_ = StopReason::server_disconnect;
      break;
    case protocol::SocketPacketType::event: {
      auto event = protocol::event_from_packet(std::move(packet));
      if (event && handlers_.on_event) handlers_.on_event(*event);
      break;
    }
    case protocol::SocketPacketType::ack: {
      if (!packet.ack_id) return;
      auto it = acks_.find(*packet.ack_id);
      if (it == acks_.end()) return;
      auto callback = std::move(it->second.callback);
      acks_.erase(it);
      json response = packet.data.is_array() && !packet.data.empty() ? packet.data[0] : packet.data;
      if (callback) callback(response);
      break;
    }
    default:
      break;
  }
}

void Session::on_transport_close(int code, const std::string& reason) {
  lost(reason.empty() ? "transport close (" + std::to_string(code) + ")" : reason, true);
}

void Session::lost(const std::string& reason, bool may_retry) {
  ++generation_;
  if (transport_) transport_->close();
  transport_.reset();
  engine_open_ = false;
  fail_pending_acks("disconnected", "the connection was lost");
  const bool retry = may_retry && !backoff_.exhausted(attempt_ + 1);
  if (retry) {
    status_ = ever_connected_ ? ConnectionStatus::reconnecting : ConnectionStatus::connecting;
    ++attempt_;
    next_attempt_at_ = now_ + backoff_.delay_ms(attempt_);
  } else {
    status_ = ConnectionStatus::disconnected;
    stop_reason_ = may_retry ? StopReason::attempts_exhausted : StopReason::server_disconnect;
  }
  if (handlers_.on_disconnected) handlers_.on_disconnected(reason, retry);
  if (!retry && may_retry && handlers_.on_reconnect_failed) handlers_.on_reconnect_failed();
}

void Session::update(double now_ms) {
  now_ = now_ms;
  // Acks that never came back.
  for (auto it = acks_.begin(); it != acks_.end();) {
    if (now_ms >= it->second.deadline_ms) {
      auto callback = std::move(it->second.callback);
      it = acks_.erase(it);
      if (callback) {
        callback(json{{"ok", false}, {"error", {{"code", "timeout"}, {"message", "no answer from the server"}}}});
      }
    } else {
      ++it;
    }
  }
  if (transport_ && engine_open_) {
    // The server pings every pingInterval; silence beyond interval + timeout means the
    // link is dead even if the socket has not noticed yet.
    const double limit = double(handshake_.ping_interval_ms) + double(handshake_.ping_timeout_ms);
    if (now_ms - last_server_activity_ > limit) lost("ping timeout", true);
  }
  if (!transport_ && attempt_ > 0 &&
      (status_ == ConnectionStatus::reconnecting || status_ == ConnectionStatus::connecting) &&
      now_ms >= next_attempt_at_) {
    if (handlers_.on_reconnect_attempt) handlers_.on_reconnect_attempt(attempt_);
    start_transport(now_ms);
  }
}

bool Session::emit(const std::string& name, const json& payload, AckCallback ack, double ack_timeout_ms) {
  if (status_ != ConnectionStatus::connected || !transport_) {
    if (ack) ack(json{{"ok", false}, {"error", {{"code", "disconnected"}, {"message", "not connected"}}}});
    return false;
  }
  std::optional<std::uint64_t> ack_id;
  if (ack) {
    ack_id = next_ack_id_++;
    acks_[*ack_id] = PendingAck{std::move(ack), now_ + ack_timeout_ms};
  }
  send_frame(protocol::encode_client_event_frame(name, payload, ack_id));
  return true;
}

void Session::fail_pending_acks(const std::string& code, const std::string& message) {
  auto acks = std::move(acks_);
  acks_.clear();
  for (auto& [id, pending] : acks) {
    if (pending.callback) pending.callback(json{{"ok", false}, {"error", {{"code", code}, {"message", message}}}});
  }
}

}  // namespace harmonic::client
