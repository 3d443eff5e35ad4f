// One WebSocket frame as a client sends it (RFC 6455 section 5.2): the first byte (FIN,
// RSV and opcode bits, e.g. 0x81 for a final text frame), the payload length in 7, 16 or 64 bits, the 4-byte masking key, and the
// payload masked with it. The server only parses such frames (server/net/websocket_frames.hpp);
// the programs that play a client over raw TCP write them: the load generator
// (bench/load) and the tests of the server's parser (unit and fuzz).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace harmonic::protocol {

void append_client_frame(std::string& out, std::uint8_t first_byte, std::string_view payload,
                         const std::array<char, 4>& mask_key);

}  // namespace harmonic::protocol
