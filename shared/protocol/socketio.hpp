// Socket.IO v5 packets, carried inside Engine.IO "message" packets:
//   <type>[<attachments>-][<namespace>,][<ack id>][<JSON data>]
// Only what this project speaks is accepted: text packets (no binary attachments).
// The parser treats its input as hostile: it never throws, bounds JSON nesting, and
// reports why a packet was refused so the server can say so to the client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace harmonic::protocol {

enum class SocketPacketType : int {
  connect = 0,
  disconnect = 1,
  event = 2,
  ack = 3,
  connect_error = 4,
  binary_event = 5,
  binary_ack = 6,
};

struct SocketPacket {
  SocketPacketType type = SocketPacketType::event;
  std::string nsp = "/";
  std::optional<std::uint64_t> ack_id;
  nlohmann::json data;  // null when the packet carried none
};

struct PacketError {
  std::string message;
};

using SocketParseResult = std::variant<SocketPacket, PacketError>;

inline constexpr int max_json_depth = 32;

// `payload` is the Engine.IO message data (without the leading '4').
SocketParseResult parse_socket_packet(std::string_view payload);

// JSON from an untrusted peer: nullopt for invalid JSON, invalid UTF-8 or nesting deeper
// than max_depth (checked before parsing, so hostile input cannot exhaust the stack).
std::optional<nlohmann::json> parse_untrusted_json(std::string_view text, int max_depth = max_json_depth);

// An event as the application sees it: 42["name",payload] / 42<id>["name",payload].
struct Event {
  std::string name;
  nlohmann::json payload;  // the first argument after the name, null if none
  std::optional<std::uint64_t> ack_id;
};

// nullopt unless the packet is an EVENT whose data is ["name", ...].
// Takes the packet by value so that callers done with it can move the payload in.
std::optional<Event> event_from_packet(SocketPacket packet);

// Complete Engine.IO frames ("4" + Socket.IO packet), ready to send.
std::string encode_event_frame(std::string_view name, const nlohmann::json& payload);
std::string encode_ack_frame(std::uint64_t ack_id, const nlohmann::json& payload);
std::string encode_connect_frame(const nlohmann::json& data);        // 40{...}
std::string encode_connect_error_frame(std::string_view message);    // 44{"message":…}
std::string encode_connect_error_frame(std::string_view nsp, std::string_view message);
std::string encode_client_event_frame(std::string_view name, const nlohmann::json& payload,
                                      std::optional<std::uint64_t> ack_id);

}  // namespace harmonic::protocol
