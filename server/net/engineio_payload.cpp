#include "net/engineio_payload.hpp"

namespace harmonic::net {

void append_engine_packet(std::string& payload, std::string_view packet) {
  if (!payload.empty()) payload += engine_payload_separator;
  payload.append(packet);
}

std::optional<std::vector<std::string_view>> split_engine_payload(std::string_view body) {
  std::vector<std::string_view> packets;
  while (true) {
    const auto end = body.find(engine_payload_separator);
    const auto packet = body.substr(0, end);
    if (packet.empty()) return std::nullopt;
    packets.push_back(packet);
    if (end == std::string_view::npos) return packets;
    body.remove_prefix(end + 1);
  }
}

}  // namespace harmonic::net
