#include "load/socketio_client.hpp"

#include "load/clock.hpp"
#include "load/polling_client.hpp"
#include "load/websocket_client.hpp"
#include "protocol/engineio.hpp"
#include "protocol/socketio.hpp"

namespace harmonic::bench {

namespace {
bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
}  // namespace

SocketIoClient::SocketIoClient(ClientObserver& observer, std::size_t index) : observer_(observer), index_(index) {}

SocketIoClient::~SocketIoClient() = default;

void SocketIoClient::start(const boost::asio::ip::tcp::endpoint& server, std::string token, std::string universe_id) {
  token_ = std::move(token);
  universe_id_ = std::move(universe_id);
  started_us_ = now_us();
  connect_transport(server);
}

void SocketIoClient::on_engine_packet(std::string_view text) {
  const auto packet = protocol::parse_engine_packet(text);
  if (!packet) return fail("unparseable Engine.IO packet");
  switch (packet->type) {
    case protocol::EnginePacketType::message: return on_socketio(packet->data);
    case protocol::EnginePacketType::ping: return send_engine_packet(protocol::engine_pong_frame);
    case protocol::EnginePacketType::open: {
      if (!protocol::parse_engine_open(packet->data)) return fail("bad Engine.IO open packet");
      return send_engine_packet(protocol::encode_connect_frame({{"token", token_}}));
    }
    case protocol::EnginePacketType::close: return fail("Engine.IO close");
    default: return;
  }
}

void SocketIoClient::on_socketio(std::string_view packet) {
  // Hot path: the benchmarked broadcasts, recognised without parsing.
  if (starts_with(packet, "2[\"parameter:updated\",")) {
    return observer_.on_hot_event(*this, HotEvent::parameter_updated, packet);
  }
  if (starts_with(packet, "2[\"collaboration:cursor\",")) {
    return observer_.on_hot_event(*this, HotEvent::cursor, packet);
  }
  if (starts_with(packet, "2[\"universe:joined\",") || starts_with(packet, "2[\"universe:left\",")) return;
  if (starts_with(packet, "2[\"state:initial\",")) {
    if (!ready_ && !universe_id_.empty()) mark_ready();
    return;
  }
  auto parsed = protocol::parse_socket_packet(packet);
  const auto* socket_packet = std::get_if<protocol::SocketPacket>(&parsed);
  if (!socket_packet) return fail("unparseable Socket.IO packet");
  switch (socket_packet->type) {
    case protocol::SocketPacketType::connect:
      if (universe_id_.empty()) return mark_ready();
      return emit("universe:join", {{"universe_id", universe_id_}});
    case protocol::SocketPacketType::connect_error:
      return fail("CONNECT refused: " + socket_packet->data.dump());
    case protocol::SocketPacketType::event: {
      const auto event = protocol::event_from_packet(*socket_packet);
      if (event && (event->name == "system:error" || event->name == "rate_limit")) {
        observer_.on_server_error(*this, event->name, event->payload);
      }
      return;
    }
    default: return;
  }
}

void SocketIoClient::mark_ready() {
  ready_ = true;
  ready_us_ = now_us();
  observer_.on_ready(*this);
}

void SocketIoClient::emit(std::string_view name, const nlohmann::json& payload) {
  if (failed_) return;
  send_engine_packet(protocol::encode_client_event_frame(name, payload, std::nullopt));
}

void SocketIoClient::fail(const std::string& why) {
  if (failed_) return;
  failed_ = true;
  close_transport();
  observer_.on_failed(*this, why);
}

void SocketIoClient::close() {
  if (failed_) return;
  failed_ = true;  // a deliberate close is not reported
  close_transport();
}

std::unique_ptr<SocketIoClient> make_client(Transport transport, boost::asio::io_context& io, ClientObserver& observer,
                                            std::size_t index) {
  if (transport == Transport::polling) return std::make_unique<PollingClient>(io, observer, index);
  return std::make_unique<WebSocketClient>(io, observer, index);
}

}  // namespace harmonic::bench
