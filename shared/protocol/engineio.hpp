// Engine.IO v4 framing over WebSocket: each text frame is one packet, a type digit
// followed by its data. See the engine.io-protocol specification, "Packet encoding".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harmonic::protocol {

enum class EnginePacketType : char {
  open = '0',
  close = '1',
  ping = '2',
  pong = '3',
  message = '4',
  upgrade = '5',
  noop = '6',
};

struct EnginePacket {
  EnginePacketType type;
  std::string_view data;  // points into the frame it was parsed from
};

// nullopt when the frame is empty or its first byte is not a known packet type.
std::optional<EnginePacket> parse_engine_packet(std::string_view frame);

struct EngineHandshake {
  std::string sid;
  std::uint32_t ping_interval_ms = 25000;
  std::uint32_t ping_timeout_ms = 20000;
  std::uint32_t max_payload = 1000000;
  std::vector<std::string> upgrades;  // transports the client may upgrade to ("websocket" over polling)
};

// The server's first frame: 0{"sid":…,"upgrades":[…],"pingInterval":…,"pingTimeout":…,"maxPayload":…}
std::string encode_engine_open(const EngineHandshake& handshake);
// nullopt unless an object with a string "sid" whose numbers, where present, are whole
// and fit 32 bits unsigned (the open packet comes from the network: it never throws).
std::optional<EngineHandshake> parse_engine_open(std::string_view data);

inline constexpr std::string_view engine_ping_frame = "2";
inline constexpr std::string_view engine_pong_frame = "3";

}  // namespace harmonic::protocol
