#include "net/websocket_frames.hpp"

#include <cstring>

namespace harmonic::net::ws {

namespace {
ParsedFrame violation(std::uint16_t code) {
  ParsedFrame frame;
  frame.status = ParsedFrame::Status::violation;
  frame.close_code = code;
  return frame;
}

bool known_opcode(unsigned opcode) { return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA); }
}  // namespace

ParsedFrame parse_client_frame(std::span<char> bytes, std::uint64_t max_payload) {
  if (bytes.size() < 2) return {};
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const bool fin = (p[0] & 0x80) != 0;
  const unsigned opcode = p[0] & 0x0f;
  if ((p[0] & 0x70) != 0) return violation(close_protocol_error);  // no extension was negotiated
  if (!known_opcode(opcode)) return violation(close_protocol_error);
  if ((p[1] & 0x80) == 0) return violation(close_protocol_error);  // clients must mask
  const bool control = opcode >= 0x8;
  std::uint64_t length = p[1] & 0x7f;
  if (control && (!fin || length > 125)) return violation(close_protocol_error);

  std::size_t header = 2;
  if (length == 126) {
    if (bytes.size() < 4) return {};
    length = (std::uint64_t{p[2]} << 8) | p[3];
    if (length < 126) return violation(close_protocol_error);  // not the shortest form
    header = 4;
  } else if (length == 127) {
    if (bytes.size() < 10) return {};
    length = 0;
    for (int i = 2; i < 10; ++i) length = (length << 8) | p[i];
    if (length < 65536 || (length >> 63) != 0) return violation(close_protocol_error);
    header = 10;
  }
  if (!control && length > max_payload) return violation(close_too_big);
  header += 4;  // the masking key
  if (bytes.size() < header || bytes.size() - header < length) return {};

  char key[4];
  std::memcpy(key, bytes.data() + header - 4, 4);
  char* payload = bytes.data() + header;
  std::size_t i = 0;
  if (length >= 8) {
    std::uint64_t wide_key;
    for (int k = 0; k < 8; ++k) reinterpret_cast<char*>(&wide_key)[k] = key[k & 3];
    for (; i + 8 <= length; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, payload + i, 8);
      word ^= wide_key;
      std::memcpy(payload + i, &word, 8);
    }
  }
  for (; i < length; ++i) payload[i] ^= key[i & 3];

  ParsedFrame frame;
  frame.status = ParsedFrame::Status::complete;
  frame.consumed = header + length;
  frame.fin = fin;
  frame.opcode = static_cast<Opcode>(opcode);
  frame.payload = std::string_view(payload, length);
  return frame;
}

void append_server_frame(std::string& out, Opcode opcode, std::string_view payload) {
  char header[10];
  std::size_t size = 2;
  header[0] = static_cast<char>(0x80 | static_cast<unsigned>(opcode));
  const std::uint64_t length = payload.size();
  if (length < 126) {
    header[1] = static_cast<char>(length);
  } else if (length < 65536) {
    header[1] = 126;
    header[2] = static_cast<char>(length >> 8);
    header[3] = static_cast<char>(length & 0xff);
    size = 4;
  } else {
    header[1] = 127;
    for (int i = 0; i < 8; ++i) header[2 + i] = static_cast<char>((length >> (56 - 8 * i)) & 0xff);
    size = 10;
  }
  out.append(header, size);
  out.append(payload);
}

std::string close_payload(std::uint16_t code) {
  return {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)};
}

std::size_t server_frame_size(std::size_t payload_size) {
  const std::size_t header = payload_size < 126 ? 2 : payload_size < 65536 ? 4 : 10;
  return header + payload_size;
}

std::uint16_t close_body_violation(std::string_view body) {
  if (body.empty()) return 0;
  if (body.size() == 1) return close_protocol_error;
  const auto code = static_cast<std::uint16_t>((static_cast<unsigned char>(body[0]) << 8) |
                                               static_cast<unsigned char>(body[1]));
  // 1004 is reserved, 1005 and 1006 mean "no code" / "no close frame" and never travel,
  // 1015 is TLS-only; 1016-2999 are unassigned, 3000-4999 are for libraries and apps.
  const bool sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
                        (code >= 3000 && code <= 4999);
  if (!sendable) return close_protocol_error;
  if (!valid_utf8(body.substr(2))) return close_invalid_payload;
  return 0;
}

bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (end - p >= 8) {  // the common case: a run of ASCII
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned lead = *p;
    if (lead < 0x80) {
      ++p;
      continue;
    }
    int extra;
    std::uint32_t point, smallest;
    if ((lead & 0xE0) == 0xC0) {
      extra = 1, point = lead & 0x1F, smallest = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2, point = lead & 0x0F, smallest = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3, point = lead & 0x07, smallest = 0x10000;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      point = (point << 6) | (p[i] & 0x3F);
    }
    if (point < smallest || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

}  // namespace harmonic::net::ws
