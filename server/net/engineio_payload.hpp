// Engine.IO v4 payloads: what one HTTP long-polling request or answer carries, several
// packets separated by the record separator \x1e (engine.io-protocol, "Payload
// encoding"). Each packet is encoded as over WebSocket (a type digit and its data); a
// binary packet is "b" followed by base64.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace harmonic::net {

inline constexpr char engine_payload_separator = '\x1e';

// Appends one packet to a payload being built.
void append_engine_packet(std::string& payload, std::string_view packet);

// The packets of a received payload, pointing into `body`; nullopt when the body is
// empty or any packet in it is (two separators in a row, one at either end).
std::optional<std::vector<std::string_view>> split_engine_payload(std::string_view body);

}  // namespace harmonic::net
