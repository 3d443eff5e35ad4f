// Session tokens: HS256 JSON Web Tokens carrying the user id (`sub`, a string), the
// username (`name`), `iat` and `exp` (seconds since the epoch), a random token id (`jti`)
// and the user's token generation (`gen`).
//
// `jti` lets one token be revoked (logout) and `gen` every token of a user at once
// (a password change bumps the user's generation); both are checked against the store by
// accept_token() (token_sessions.hpp), since a signature alone cannot be taken back.
//
// verify() accepts only what issue() produces: HS256 signed with our secret, not expired,
// with a string `sub`, an integer `exp`, a non-empty string `jti` and an integer `gen`.
// It never throws; every defect is nullopt.
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
  std::string token_id;         // `jti`: random, unique per issued token
  std::int64_t generation = 0;  // `gen`: the user's token generation when issued
};

class TokenService {
 public:
  // Tokens longer than this are refused before any parsing (ours are about 200 bytes).
  static constexpr std::size_t kMaxTokenBytes = 4096;
  // A shorter secret could be brute-forced offline from any token; random_secret_hex()
  // gives 64 characters.
  static constexpr std::size_t kMinSecretBytes = 16;

  // How long a token is valid unless the server is told otherwise (--token-ttl).
  static constexpr std::chrono::seconds kDefaultTtl = std::chrono::hours(24 * 7);

  // Throws std::invalid_argument when the secret is shorter than kMinSecretBytes or the
  // ttl is not positive.
  explicit TokenService(std::string secret, std::chrono::seconds ttl = kDefaultTtl);

  // A token valid for the service's ttl.
  std::string issue(const std::string& user_id, const std::string& username, std::int64_t generation = 0) const;
  // A negative ttl gives an already expired token (useful in tests).
  std::string issue(const std::string& user_id, const std::string& username, std::chrono::seconds ttl,
                    std::int64_t generation = 0) const;

  std::optional<TokenClaims> verify(std::string_view token) const;

 private:
  std::string secret_;
  std::chrono::seconds ttl_;
};

}  // namespace harmonic::auth
