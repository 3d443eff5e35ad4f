// Session tokens: HS256 JSON Web Tokens carrying the user id (`sub`, a string), the
// username (`name`), `iat` and `exp` (seconds since the epoch).
//
// verify() accepts only what issue() produces: HS256 signed with our secret, not expired,
// with a string `sub` and an integer `exp`. It never throws; every defect is nullopt.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace harmonic::auth {

struct TokenClaims {
  std::string user_id;
  std::string username;
  std::int64_t expires_at = 0;  // seconds since the Unix epoch
};

class TokenService {
 public:
  // Tokens longer than this are refused before any parsing (ours are about 200 bytes).
  static constexpr std::size_t kMaxTokenBytes = 4096;
  // A shorter secret could be brute-forced offline from any token; random_secret_hex()
  // gives 64 characters.
  static constexpr std::size_t kMinSecretBytes = 16;

  // Throws std::invalid_argument when the secret is shorter than kMinSecretBytes.
  explicit TokenService(std::string secret);

  // A negative ttl gives an already expired token (useful in tests).
  std::string issue(const std::string& user_id, const std::string& username,
                    std::chrono::seconds ttl = std::chrono::hours(24 * 7)) const;

  std::optional<TokenClaims> verify(std::string_view token) const;

 private:
  std::string secret_;
};

}  // namespace harmonic::auth
