#include "auth/secret.hpp"

#include <sodium.h>

#include <vector>

#include "auth/sodium_ready.hpp"

namespace harmonic::auth {

std::string random_secret_hex(std::size_t bytes) {
  detail::ensure_sodium_ready();
  if (bytes == 0) {
    return {};  // randombytes_buf must not be given a null buffer
  }
  std::vector<unsigned char> random(bytes);
  randombytes_buf(random.data(), random.size());
  std::string hex(bytes * 2 + 1, '\0');  // sodium_bin2hex writes a terminating NUL
  sodium_bin2hex(hex.data(), hex.size(), random.data(), random.size());
  hex.pop_back();
  sodium_memzero(random.data(), random.size());
  return hex;
}

}  // namespace harmonic::auth
