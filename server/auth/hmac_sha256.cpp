#include "auth/hmac_sha256.hpp"

#include <sodium.h>

#include "auth/sodium_ready.hpp"

namespace harmonic::auth {

std::string hmac_sha256(std::string_view key, std::string_view message) {
  detail::ensure_sodium_ready();
  // The streaming API accepts a key of any length (hashing long keys as RFC 2104 says);
  // the one-shot crypto_auth_hmacsha256 insists on exactly 32 bytes.
  // libsodium declares the key pointer non-null, and an empty string_view may hold null.
  static const unsigned char kNoKey = 0;
  const auto* key_bytes = key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key_bytes, key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
  sodium_memzero(&state, sizeof state);
  return mac;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  detail::ensure_sodium_ready();
  if (a.size() != b.size()) {
    return false;  // lengths are public (a signature's length is fixed by the algorithm)
  }
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace harmonic::auth
