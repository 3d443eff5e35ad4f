#include "auth/base64url.hpp"

#include <sodium.h>

#include "auth/sodium_ready.hpp"

namespace harmonic::auth {

namespace {
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

bool is_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
  detail::ensure_sodium_ready();
  std::string text(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');  // includes the NUL
  sodium_bin2base64(text.data(), text.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    kVariant);
  text.resize(text.size() - 1);
  return text;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  detail::ensure_sodium_ready();
  // libsodium 1.0.18 reads a byte >= 0x80 as its low seven bits ("\xf6" as 'v'), which would
  // give one byte string many accepted spellings; only the alphabet itself may pass.
  for (const char c : text) {
    if (!is_alphabet(c)) return std::nullopt;
  }
  std::string bytes(text.size() * 3 / 4 + 1, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  // ignore = nullptr: no character is skipped. `end` must reach the end of the input, or
  // sodium stopped at a character outside the alphabet.
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(), text.size(),
                        nullptr, &length, &end, kVariant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  bytes.resize(length);
  return bytes;
}

}  // namespace harmonic::auth
