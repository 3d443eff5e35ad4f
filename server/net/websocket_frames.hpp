// RFC 6455 framing as the server needs it, with no I/O: parse (and unmask in place) one
// client frame, write the header of a server frame, check UTF-8. The session owns the
// socket; this file owns the byte layout, so the rules are tested without a network.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace harmonic::net::ws {

enum class Opcode : std::uint8_t { continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA };

// Close codes the server sends (RFC 6455 section 7.4.1).
inline constexpr std::uint16_t close_normal = 1000;
inline constexpr std::uint16_t close_protocol_error = 1002;
inline constexpr std::uint16_t close_invalid_payload = 1007;
inline constexpr std::uint16_t close_too_big = 1009;
inline constexpr std::uint16_t close_try_again_later = 1013;  // over a connection cap

struct ParsedFrame {
  enum class Status { complete, need_more, violation } status = Status::need_more;
  std::size_t consumed = 0;         // complete: bytes this frame took
  bool fin = false;
  Opcode opcode = Opcode::continuation;
  std::string_view payload;         // complete: unmasked, inside the input
  std::uint16_t close_code = 0;     // violation: what to close with (1002 or 1009)
};

// Parses the frame at the start of `bytes`. Client frames must be masked; the payload is
// unmasked in place. A data frame longer than `max_payload` is a violation (1009) as soon
// as its header is read, before its payload is buffered.
ParsedFrame parse_client_frame(std::span<char> bytes, std::uint64_t max_payload);

// Appends an unmasked, final server frame (header then payload) to `out`.
void append_server_frame(std::string& out, Opcode opcode, std::string_view payload);

// The body of a close frame: the code in network order.
std::string close_payload(std::uint16_t code);

// The bytes append_server_frame adds for a payload of `payload_size` bytes, so a queue
// can check its bounds before it grows.
std::size_t server_frame_size(std::size_t payload_size);

// Checks the body of a close frame a peer sent (RFC 6455 section 7.4): empty, or a code
// that may appear on the wire followed by a UTF-8 reason. Returns 0 when it is valid
// (echo it), 1002 for a one-byte body or a reserved/unassigned code (0-999, 1004-1006,
// 1015-2999, 5000+), 1007 for a reason that is not UTF-8.
std::uint16_t close_body_violation(std::string_view body);

// Well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view text);

}  // namespace harmonic::net::ws
