// HMAC-SHA-256 with a key of any length (RFC 2104), the MAC of HS256 tokens.
#pragma once

#include <string>
#include <string_view>

namespace harmonic::auth {

// The 32-byte MAC of `message` under `key`.
std::string hmac_sha256(std::string_view key, std::string_view message);

// Compares two byte strings in time that depends only on their length, so an attacker
// timing the answers learns nothing about how much of a forged signature was right.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace harmonic::auth
