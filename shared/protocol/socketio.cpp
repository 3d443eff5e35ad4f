#include "protocol/socketio.hpp"

#include <charconv>

namespace harmonic::protocol {
namespace {

// Deepest nesting of [] and {} outside of strings, stopping early once past `limit`.
int nesting_depth(std::string_view text, int limit) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[': case '{':
        if (++depth > deepest) deepest = depth;
        if (deepest > limit) return deepest;
        break;
      case ']': case '}': --depth; break;
      default: break;
    }
  }
  return deepest;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<nlohmann::json> parse_untrusted_json(std::string_view text, int max_depth) {
  if (nesting_depth(text, max_depth) > max_depth) return std::nullopt;
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

SocketParseResult parse_socket_packet(std::string_view payload) {
  if (payload.empty() || !is_digit(payload.front())) return PacketError{"missing Socket.IO packet type"};
  const int type = payload.front() - '0';
  if (type > 6) return PacketError{"unknown Socket.IO packet type"};
  SocketPacket packet;
  packet.type = static_cast<SocketPacketType>(type);
  std::string_view rest = payload.substr(1);

  if (packet.type == SocketPacketType::binary_event || packet.type == SocketPacketType::binary_ack) {
    return PacketError{"binary packets are not supported"};
  }
  if (!rest.empty() && rest.front() == '/') {
    const auto comma = rest.find(',');
    packet.nsp = std::string(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  if (!rest.empty() && is_digit(rest.front())) {
    std::size_t digits = 0;
    while (digits < rest.size() && is_digit(rest[digits])) ++digits;
    std::uint64_t id = 0;
    const auto [end, error] = std::from_chars(rest.data(), rest.data() + digits, id);
    if (error != std::errc{} || digits > 15) return PacketError{"ack id out of range"};
    packet.ack_id = id;
    rest = rest.substr(digits);
  }
  if (!rest.empty()) {
    auto data = parse_untrusted_json(rest);
    if (!data) return PacketError{"packet data is not valid JSON (or nests too deeply)"};
    packet.data = std::move(*data);
  }
  return packet;
}

std::optional<Event> event_from_packet(SocketPacket packet) {
  if (packet.type != SocketPacketType::event) return std::nullopt;
  if (!packet.data.is_array() || packet.data.empty() || !packet.data[0].is_string()) return std::nullopt;
  Event event;
  event.name = std::move(packet.data[0].get_ref<std::string&>());
  if (packet.data.size() > 1) event.payload = std::move(packet.data[1]);
  event.ack_id = packet.ack_id;
  return event;
}

namespace {
// Strings on the wire may have come from peers; replace rather than throw on bad UTF-8.
std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
}  // namespace

std::string encode_event_frame(std::string_view name, const nlohmann::json& payload) {
  return encode_client_event_frame(name, payload, std::nullopt);
}

std::string encode_client_event_frame(std::string_view name, const nlohmann::json& payload,
                                      std::optional<std::uint64_t> ack_id) {
  // Written piece by piece rather than as json::array({name, payload}), which would copy
  // the whole payload first: this runs for every event the server sends.
  std::string frame = "42";
  if (ack_id) frame += std::to_string(*ack_id);
  frame += '[';
  frame += dump(nlohmann::json(name));
  frame += ',';
  frame += dump(payload);
  frame += ']';
  return frame;
}

std::string encode_ack_frame(std::uint64_t ack_id, const nlohmann::json& payload) {
  return "43" + std::to_string(ack_id) + '[' + dump(payload) + ']';
}

std::string encode_connect_frame(const nlohmann::json& data) {
  return "40" + (data.is_null() ? std::string() : dump(data));
}

std::string encode_connect_error_frame(std::string_view message) {
  return "44" + dump(nlohmann::json{{"message", std::string(message)}});
}

std::string encode_connect_error_frame(std::string_view nsp, std::string_view message) {
  if (nsp == "/" || nsp.empty()) return encode_connect_error_frame(message);
  return "44" + std::string(nsp) + "," + dump(nlohmann::json{{"message", std::string(message)}});
}

}  // namespace harmonic::protocol
