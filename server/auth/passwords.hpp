// Password hashing with argon2id (libsodium crypto_pwhash_str). The stored string holds the
// algorithm, its cost parameters and the salt, so it verifies on its own and old hashes keep
// working if the costs are raised later.
#pragma once

#include <string>
#include <string_view>

namespace harmonic::auth {

// A fresh-salted argon2id hash at libsodium's INTERACTIVE costs (about 64 MiB and a tenth
// of a second). Throws std::runtime_error if memory for hashing cannot be had.
std::string hash_password(std::string_view password);

// True only when `password` matches `hash`. A malformed or empty hash is simply false.
bool verify_password(std::string_view hash, std::string_view password);

// True when `hash` was made with other costs than hash_password uses now, so the caller
// may re-hash the password after a successful login.
bool password_needs_rehash(std::string_view hash);

}  // namespace harmonic::auth
