#include "protocol/websocket_client_frame.hpp"

namespace harmonic::protocol {

void append_client_frame(std::string& out, std::uint8_t first_byte, std::string_view payload,
                         const std::array<char, 4>& mask_key) {
  constexpr unsigned masked = 0x80;
  out.push_back(static_cast<char>(first_byte));
  const std::uint64_t size = payload.size();
  if (size < 126) {
    out.push_back(static_cast<char>(masked | size));
  } else if (size < 65536) {
    out.push_back(static_cast<char>(masked | 126));
    out.push_back(static_cast<char>(size >> 8));
    out.push_back(static_cast<char>(size & 0xff));
  } else {
    out.push_back(static_cast<char>(masked | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((size >> shift) & 0xff));
  }
  out.append(mask_key.data(), mask_key.size());
  const auto start = out.size();
  out.append(payload);
  for (std::size_t i = 0; i < payload.size(); ++i) out[start + i] = static_cast<char>(out[start + i] ^ mask_key[i & 3]);
}

}  // namespace harmonic::protocol
