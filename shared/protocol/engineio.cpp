#include "protocol/engineio.hpp"

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

std::optional<EngineHandshake> parse_engine_open(std::string_view data) {
  const auto body = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body.contains("sid") || !body["sid"].is_string()) return std::nullopt;
  EngineHandshake handshake;
  handshake.sid = body["sid"].get<std::string>();
  handshake.ping_interval_ms = body.value("pingInterval", handshake.ping_interval_ms);
  handshake.ping_timeout_ms = body.value("pingTimeout", handshake.ping_timeout_ms);
  handshake.max_payload = body.value("maxPayload", handshake.max_payload);
  if (const auto upgrades = body.find("upgrades"); upgrades != body.end() && upgrades->is_array()) {
    for (const auto& name : *upgrades) {
      if (name.is_string()) handshake.upgrades.push_back(name.get<std::string>());
    }
  }
  return handshake;
}

}  // namespace harmonic::protocol
