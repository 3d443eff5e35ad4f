// Fuzzes the RFC 6455 client-frame parser (server/net/websocket_frames.hpp) on a stream
// of bytes as a socket delivers them, and the close-body and UTF-8 checks.
// Invariants:
// - a complete frame's payload lies inside the input, within the limits (control frames
//   final and at most 125 bytes, data frames at most max_payload);
// - a complete frame re-encodes (same key) to exactly the bytes it was parsed from: the
//   parser accepts only the shortest length form and no reserved bits, so one frame has
//   one encoding; and each strict prefix of it asks for more bytes;
// - a server frame of the same payload has the size server_frame_size() promised and is
//   refused by the client parser (it is not masked);
// - valid_utf8 agrees with a plain byte-by-byte reference of RFC 3629.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "net/websocket_frames.hpp"
#include "protocol/websocket_client_frame.hpp"

namespace ws = harmonic::net::ws;

namespace {

// RFC 3629 section 4, written as plainly as possible.
bool reference_utf8(std::string_view text) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const auto in = [](unsigned value, unsigned low, unsigned high) { return value >= low && value <= high; };
  while (i < text.size()) {
    const unsigned b0 = byte(i);
    std::size_t need;
    unsigned low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (b0 <= 0x7F) { ++i; continue; }
    else if (in(b0, 0xC2, 0xDF)) need = 1;
    else if (b0 == 0xE0) { need = 2; low = 0xA0; }
    else if (in(b0, 0xE1, 0xEC) || in(b0, 0xEE, 0xEF)) need = 2;
    else if (b0 == 0xED) { need = 2; high = 0x9F; }
    else if (b0 == 0xF0) { need = 3; low = 0x90; }
    else if (in(b0, 0xF1, 0xF3)) need = 3;
    else if (b0 == 0xF4) { need = 3; high = 0x8F; }
    else return false;
    if (text.size() - i <= need) return false;
    if (!in(byte(i + 1), low, high)) return false;
    for (std::size_t k = 2; k <= need; ++k) {
      if (!in(byte(i + k), 0x80, 0xBF)) return false;
    }
    i += need + 1;
  }
  return true;
}

std::string encode_client_frame(bool fin, ws::Opcode opcode, const char key[4], std::string_view payload) {
  std::string out;
  harmonic::protocol::append_client_frame(out, static_cast<std::uint8_t>((fin ? 0x80u : 0u) | static_cast<unsigned>(opcode)),
                                          payload, {key[0], key[1], key[2], key[3]});
  return out;
}

void check_close_body(std::string_view body) {
  const auto verdict = ws::close_body_violation(body);
  FUZZ_CHECK(verdict == 0 || verdict == ws::close_protocol_error || verdict == ws::close_invalid_payload);
  if (verdict == 0 && !body.empty()) FUZZ_CHECK(body.size() >= 2 && reference_utf8(body.substr(2)));
  if (verdict == ws::close_invalid_payload) FUZZ_CHECK(!reference_utf8(body.substr(2)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // The first byte picks the data-frame limit, so both sides of it are reached.
  const std::uint64_t max_payload = (data[0] & 1) ? 64 : 1 << 20;
  const std::string original(reinterpret_cast<const char*>(data) + 1, size - 1);
  FUZZ_CHECK(ws::valid_utf8(original) == reference_utf8(original));
  check_close_body(original);

  std::vector<char> buffer(original.begin(), original.end());
  std::size_t offset = 0;
  while (offset < buffer.size()) {
    std::span<char> rest(buffer.data() + offset, buffer.size() - offset);
    const std::string masked(rest.begin(), rest.end());
    const auto frame = ws::parse_client_frame(rest, max_payload);
    if (frame.status == ws::ParsedFrame::Status::need_more) break;
    if (frame.status == ws::ParsedFrame::Status::violation) {
      FUZZ_CHECK(frame.close_code == ws::close_protocol_error || frame.close_code == ws::close_too_big);
      break;
    }
    FUZZ_CHECK(frame.consumed >= 6 && frame.consumed <= rest.size());
    const char* payload_begin = frame.payload.data();
    FUZZ_CHECK(payload_begin >= rest.data() && payload_begin + frame.payload.size() == rest.data() + frame.consumed);
    const bool control = static_cast<unsigned>(frame.opcode) >= 0x8;
    if (control) FUZZ_CHECK(frame.fin && frame.payload.size() <= 125);
    else FUZZ_CHECK(frame.payload.size() <= max_payload);
    if (frame.opcode == ws::Opcode::close) check_close_body(frame.payload);

    const std::size_t header = frame.consumed - frame.payload.size();
    const std::string again = encode_client_frame(frame.fin, frame.opcode, masked.data() + header - 4, frame.payload);
    FUZZ_CHECK(again == masked.substr(0, frame.consumed));
    for (std::size_t k = 0; k < frame.consumed; k += 1 + k / 8) {
      std::string prefix = masked.substr(0, k);
      const auto partial = ws::parse_client_frame(std::span<char>(prefix.data(), prefix.size()), max_payload);
      FUZZ_CHECK(partial.status == ws::ParsedFrame::Status::need_more);
    }

    std::string server_frame;
    ws::append_server_frame(server_frame, frame.opcode, frame.payload);
    FUZZ_CHECK(server_frame.size() == ws::server_frame_size(frame.payload.size()));
    FUZZ_CHECK(server_frame.compare(server_frame.size() - frame.payload.size(), std::string::npos, frame.payload) == 0);
    const auto refused = ws::parse_client_frame(std::span<char>(server_frame.data(), server_frame.size()), max_payload);
    FUZZ_CHECK(refused.status == ws::ParsedFrame::Status::violation);
    offset += frame.consumed;
  }
  return 0;
}
