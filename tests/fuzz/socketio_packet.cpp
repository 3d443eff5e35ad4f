// Fuzzes the Engine.IO / Socket.IO decoder (shared/protocol) on one WebSocket text frame,
// as both the server (client packets) and the clients (the server's open packet) read it.
// Invariants:
// - nothing throws; a refused packet says why; binary packets are refused;
// - accepted JSON nests at most max_json_depth deep, and dump-then-parse gives it back;
// - decode-encode-decode: an event (42[/<id>]["name",payload]), an ack (43<id>[payload])
//   and a connect (40{...}) re-encoded by the codec decode to the same packet;
// - an Engine.IO open packet the client accepts re-encodes to the same handshake.
#include <cstdint>
#include <string>
#include <variant>

#include "fuzz_check.hpp"
#include "protocol/engineio.hpp"
#include "protocol/socketio.hpp"

namespace protocol = harmonic::protocol;

namespace {

int depth_of(const nlohmann::json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const auto& child : value) deepest = std::max(deepest, depth_of(child));
  return deepest + 1;
}

// The frame as a message packet again: parse, expect a Socket.IO packet.
protocol::SocketPacket reparse(const std::string& frame) {
  const auto engine = protocol::parse_engine_packet(frame);
  FUZZ_CHECK(engine && engine->type == protocol::EnginePacketType::message);
  auto parsed = protocol::parse_socket_packet(engine->data);
  FUZZ_CHECK(std::holds_alternative<protocol::SocketPacket>(parsed));
  return std::get<protocol::SocketPacket>(std::move(parsed));
}

void check_round_trips(const protocol::SocketPacket& packet) {
  using Type = protocol::SocketPacketType;
  if (packet.nsp != "/") return;  // the codec encodes only the default namespace's packets
  if (packet.type == Type::event) {
    const auto event = protocol::event_from_packet(packet);
    if (!event) return;
    const auto again = protocol::event_from_packet(
        reparse(protocol::encode_client_event_frame(event->name, event->payload, event->ack_id)));
    FUZZ_CHECK(again && again->name == event->name && again->payload == event->payload &&
               again->ack_id == event->ack_id);
  } else if (packet.type == Type::ack && packet.ack_id && packet.data.is_array() && packet.data.size() == 1) {
    const auto again = reparse(protocol::encode_ack_frame(*packet.ack_id, packet.data[0]));
    FUZZ_CHECK(again.type == Type::ack && again.ack_id == packet.ack_id && again.data == packet.data);
  } else if (packet.type == Type::connect && !packet.ack_id && (packet.data.is_null() || packet.data.is_object())) {
    const auto again = reparse(protocol::encode_connect_frame(packet.data));
    FUZZ_CHECK(again.type == Type::connect && !again.ack_id && again.data == packet.data);
  }
}

void check_open_packet(std::string_view data) {
  const auto handshake = protocol::parse_engine_open(data);
  if (!handshake) return;
  const auto frame = protocol::encode_engine_open(*handshake);
  const auto engine = protocol::parse_engine_packet(frame);
  FUZZ_CHECK(engine && engine->type == protocol::EnginePacketType::open);
  const auto again = protocol::parse_engine_open(engine->data);
  FUZZ_CHECK(again && again->sid == handshake->sid && again->ping_interval_ms == handshake->ping_interval_ms &&
             again->ping_timeout_ms == handshake->ping_timeout_ms && again->max_payload == handshake->max_payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view frame(reinterpret_cast<const char*>(data), size);

  if (const auto json = protocol::parse_untrusted_json(frame)) {
    FUZZ_CHECK(depth_of(*json) <= protocol::max_json_depth);
    const auto again = protocol::parse_untrusted_json(json->dump());
    FUZZ_CHECK(again && *again == *json);
  }

  const auto engine = protocol::parse_engine_packet(frame);
  if (!engine) {
    FUZZ_CHECK(frame.empty() || frame.front() < '0' || frame.front() > '6');
    return 0;
  }
  FUZZ_CHECK(engine->data == frame.substr(1));
  if (engine->type == protocol::EnginePacketType::open) check_open_packet(engine->data);
  if (engine->type != protocol::EnginePacketType::message) return 0;

  const auto parsed = protocol::parse_socket_packet(engine->data);
  if (const auto* error = std::get_if<protocol::PacketError>(&parsed)) {
    FUZZ_CHECK(!error->message.empty());
    return 0;
  }
  const auto& packet = std::get<protocol::SocketPacket>(parsed);
  FUZZ_CHECK(packet.type != protocol::SocketPacketType::binary_event &&
             packet.type != protocol::SocketPacketType::binary_ack);
  FUZZ_CHECK(!packet.nsp.empty() && (packet.nsp == "/" || packet.nsp.front() == '/'));
  FUZZ_CHECK(!packet.ack_id || *packet.ack_id < 1'000'000'000'000'000ull);
  FUZZ_CHECK(depth_of(packet.data) <= protocol::max_json_depth);
  check_round_trips(packet);
  return 0;
}
