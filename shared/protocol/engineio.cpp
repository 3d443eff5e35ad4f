#include "protocol/engineio.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

namespace harmonic::protocol {

std::optional<EnginePacket> parse_engine_packet(std::string_view frame) {
  if (frame.empty()) return std::nullopt;
  const char type = frame.front();
  if (type < '0' || type > '6') return std::nullopt;
  return EnginePacket{static_cast<EnginePacketType>(type), frame.substr(1)};
}

std::string encode_engine_open(const EngineHandshake& handshake) {
  const nlohmann::json body = {
      {"sid", handshake.sid},
      {"upgrades", handshake.upgrades},
      {"pingInterval", handshake.ping_interval_ms},
      {"pingTimeout", handshake.ping_timeout_ms},
      {"maxPayload", handshake.max_payload},
  };
  return "0" + body.dump();
}

namespace {
// A handshake number, when present, is a whole number that fits 32 bits unsigned; anything
// else (a string, 1.5, -1, 1e300) makes the whole handshake invalid.
bool read_u32(const nlohmann::json& body, const char* name, std::uint32_t& out) {
  const auto it = body.find(name);
  if (it == body.end()) return true;
  if (!it->is_number_unsigned() || it->get<std::uint64_t>() > UINT32_MAX) return false;
  out = static_cast<std::uint32_t>(it->get<std::uint64_t>());
  return true;
}
}  // namespace

std::optional<EngineHandshake> parse_engine_open(std::string_view data) {
  const auto body = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("sid") || !body["sid"].is_string()) return std::nullopt;
  EngineHandshake handshake;
  handshake.sid = body["sid"].get<std::string>();
  if (!read_u32(body, "pingInterval", handshake.ping_interval_ms) ||
      !read_u32(body, "pingTimeout", handshake.ping_timeout_ms) ||
      !read_u32(body, "maxPayload", handshake.max_payload)) {
    return std::nullopt;
  }
  if (const auto upgrades = body.find("upgrades"); upgrades != body.end() && upgrades->is_array()) {
    for (const auto& name : *upgrades) {
      if (name.is_string()) handshake.upgrades.push_back(name.get<std::string>());
    }
  }
  return handshake;
}

}  // namespace harmonic::protocol
