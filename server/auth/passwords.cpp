#include "auth/passwords.hpp"

#include <sodium.h>

#include <stdexcept>

#include "auth/sodium_ready.hpp"

namespace harmonic::auth {

namespace {
constexpr unsigned long long kOpsLimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
constexpr std::size_t kMemLimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;

// crypto_pwhash_str_verify and friends read a NUL-terminated string of at most
// crypto_pwhash_STRBYTES - 1 characters; anything longer cannot be one of ours.
bool fits_hash_buffer(std::string_view hash) { return !hash.empty() && hash.size() < crypto_pwhash_STRBYTES; }
}  // namespace

std::string hash_password(std::string_view password) {
  detail::ensure_sodium_ready();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return std::string(out);
}

bool verify_password(std::string_view hash, std::string_view password) {
  detail::ensure_sodium_ready();
  if (!fits_hash_buffer(hash)) {
    return false;
  }
  const std::string terminated(hash);  // string_view need not be NUL-terminated
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view hash) {
  detail::ensure_sodium_ready();
  if (!fits_hash_buffer(hash)) {
    return true;
  }
  const std::string terminated(hash);
  // 1 = other parameters, -1 = not an argon2id hash at all: both call for a new hash.
  return crypto_pwhash_str_needs_rehash(terminated.c_str(), kOpsLimit, kMemLimit) != 0;
}

}  // namespace harmonic::auth
