// Hand-made tokens for the verification tests: any header, any payload, any key. The
// encoders used here are checked against published vectors in encoding_test.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "auth/base64url.hpp"
#include "auth/hmac_sha256.hpp"

namespace harmonic::test {

inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// header.payload, each the base64url of the given JSON text, exactly as written.
inline std::string unsigned_part(const std::string& header_json, const std::string& payload_json) {
  return auth::base64url_encode(header_json) + "." + auth::base64url_encode(payload_json);
}

// A token signed with HMAC-SHA-256 under `key`, whatever the header claims.
inline std::string forge(const std::string& header_json, const std::string& payload_json, const std::string& key) {
  const auto part = unsigned_part(header_json, payload_json);
  return part + "." + auth::base64url_encode(auth::hmac_sha256(key, part));
}

inline const std::string kHs256Header = R"({"alg":"HS256","typ":"JWT"})";

// A payload like the server's: sub, name, iat, exp = now + `valid_for` seconds, jti, gen;
// `jti_and_gen` is spliced in before the closing brace.
inline std::string payload(std::int64_t valid_for = 3600, const std::string& sub = "\"42\"",
                           const std::string& jti_and_gen = R"(,"jti":"0123456789abcdef","gen":0)") {
  const auto now = unix_now();
  return R"({"sub":)" + sub + R"(,"name":"ada","iat":)" + std::to_string(now) + R"(,"exp":)" +
         std::to_string(now + valid_for) + jti_and_gen + "}";
}

}  // namespace harmonic::test
