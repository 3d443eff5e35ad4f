// Issuing goes through cpp-jwt. Verifying goes through cpp-jwt too, but only after our own
// checks, because cpp-jwt 1.4 (Debian's libcpp-jwt-dev) mis-handles hostile input:
//  - its base64 decoder indexes a 256-entry table with a plain `char`, so a byte >= 0x80
//    reads outside the table (undefined behaviour), and it skips invalid characters
//    instead of refusing them;
//  - it matches the header's `alg` case-insensitively ("hs256" passes) and calls
//    get<std::string>() on `alg` and `typ` without checking their type, which throws out of
//    its non-throwing decode();
//  - it reads `exp` as uint64, so a negative `exp` wraps to a far-future time and never
//    expires, and a missing `exp` is not an error at all; nothing requires `sub`;
//  - it compares signatures with ==, whose running time leaks the matching prefix.
// So verify() below first parses the token itself with a strict decoder, requires
// alg == "HS256" exactly, checks the signature in constant time and the claims' types and
// values, and then also lets cpp-jwt verify the token as a second, independent gate.
#include "auth/tokens.hpp"

#include <jwt/jwt.hpp>

#include <cstdint>
#include <stdexcept>

#include "auth/base64url.hpp"
#include "auth/hmac_sha256.hpp"
#include "auth/secret.hpp"

namespace harmonic::auth {

namespace {

constexpr std::string_view kAlgorithm = "HS256";
// issue() writes 32 hex digits; anything much longer is not ours (and would bloat the
// revocation table).
constexpr std::size_t kTokenIdRandomBytes = 16;
constexpr std::size_t kMaxTokenIdBytes = 64;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Segments {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
};

// Exactly three non-empty segments separated by two dots.
std::optional<Segments> split(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  Segments segments{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1)};
  if (segments.header.empty() || segments.payload.empty() || segments.signature.empty()) {
    return std::nullopt;
  }
  return segments;
}

// A base64url segment that decodes to a JSON object, or nullopt.
std::optional<nlohmann::json> decode_object(std::string_view segment) {
  const auto bytes = base64url_decode(segment);
  if (!bytes) {
    return std::nullopt;
  }
  auto value = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded() || !value.is_object()) {
    return std::nullopt;
  }
  return value;
}

bool header_is_ours(const nlohmann::json& header) {
  const auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get_ref<const std::string&>() != kAlgorithm) {
    return false;
  }
  const auto typ = header.find("typ");
  if (typ != header.end() && !(typ->is_string() && typ->get_ref<const std::string&>() == "JWT")) {
    return false;
  }
  // RFC 7515 4.1.11: a token whose `crit` names extensions we do not implement must be
  // refused; we implement none.
  return !header.contains("crit");
}

// An integral JSON number (not 1.5, not "1"), as int64.
std::optional<std::int64_t> integer_claim(const nlohmann::json& payload, const char* name) {
  const auto found = payload.find(name);
  if (found == payload.end()) {
    return std::nullopt;
  }
  if (found->is_number_integer() && !found->is_number_unsigned()) {
    return found->get<std::int64_t>();
  }
  if (found->is_number_unsigned() && found->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(found->get<std::uint64_t>());
  }
  return std::nullopt;
}

std::optional<TokenClaims> claims_from(const nlohmann::json& payload, std::int64_t now) {
  const auto sub = payload.find("sub");
  if (sub == payload.end() || !sub->is_string() || sub->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  const auto name = payload.find("name");
  if (name == payload.end() || !name->is_string()) {
    return std::nullopt;
  }
  const auto exp = integer_claim(payload, "exp");
  if (!exp || *exp <= now) {
    return std::nullopt;
  }
  // Without a token id a token could not be revoked, so it is not accepted at all.
  const auto jti = payload.find("jti");
  if (jti == payload.end() || !jti->is_string() || jti->get_ref<const std::string&>().empty() ||
      jti->get_ref<const std::string&>().size() > kMaxTokenIdBytes) {
    return std::nullopt;
  }
  const auto generation = integer_claim(payload, "gen");
  if (!generation || *generation < 0) {
    return std::nullopt;
  }
  if (payload.contains("nbf")) {
    const auto nbf = integer_claim(payload, "nbf");
    if (!nbf || *nbf > now) {
      return std::nullopt;
    }
  }
  return TokenClaims{sub->get<std::string>(), name->get<std::string>(), *exp, jti->get<std::string>(), *generation};
}

// The second gate: cpp-jwt's own verification of algorithm, signature and expiry.
bool cpp_jwt_accepts(std::string_view token, const std::string& secret) {
  try {
    std::error_code error;
    jwt::decode(jwt::string_view(token.data(), token.size()), jwt::params::algorithms({"HS256"}), error,
                jwt::params::secret(secret), jwt::params::verify(true));
    return !error;
  } catch (...) {
    return false;  // cpp-jwt throws from its non-throwing overload on some inputs
  }
}

}  // namespace

TokenService::TokenService(std::string secret, std::chrono::seconds ttl) : secret_(std::move(secret)), ttl_(ttl) {
  if (secret_.size() < kMinSecretBytes) {
    throw std::invalid_argument("token secret must be at least " + std::to_string(kMinSecretBytes) + " bytes");
  }
  if (ttl_.count() <= 0) {
    throw std::invalid_argument("token lifetime must be positive");
  }
}

std::string TokenService::issue(const std::string& user_id, const std::string& username,
                                std::int64_t generation) const {
  return issue(user_id, username, ttl_, generation);
}

std::string TokenService::issue(const std::string& user_id, const std::string& username, std::chrono::seconds ttl,
                                std::int64_t generation) const {
  const std::int64_t now = now_seconds();
  jwt::jwt_object token{jwt::params::algorithm("HS256"), jwt::params::secret(secret_)};
  // Plain integers rather than cpp-jwt's time_point overload: exact seconds, and a negative
  // ttl (an expired token) stays representable.
  token.add_claim("sub", user_id)
      .add_claim("name", username)
      .add_claim("iat", now)
      .add_claim("exp", now + static_cast<std::int64_t>(ttl.count()))
      .add_claim("jti", random_secret_hex(kTokenIdRandomBytes))
      .add_claim("gen", generation);
  return token.signature();
}

std::optional<TokenClaims> TokenService::verify(std::string_view token) const {
  try {
    if (token.empty() || token.size() > kMaxTokenBytes) {
      return std::nullopt;
    }
    const auto segments = split(token);
    if (!segments) {
      return std::nullopt;
    }
    const auto header = decode_object(segments->header);
    if (!header || !header_is_ours(*header)) {
      return std::nullopt;  // alg "none", other algorithms, "hs256", a non-string alg, ...
    }
    const auto signature = base64url_decode(segments->signature);
    const auto signed_part = token.substr(0, segments->header.size() + 1 + segments->payload.size());
    if (!signature || !constant_time_equal(*signature, hmac_sha256(secret_, signed_part))) {
      return std::nullopt;
    }
    const auto payload = decode_object(segments->payload);
    if (!payload) {
      return std::nullopt;
    }
    auto claims = claims_from(*payload, now_seconds());
    if (!claims || !cpp_jwt_accepts(token, secret_)) {
      return std::nullopt;
    }
    return claims;
  } catch (...) {
    return std::nullopt;  // e.g. out of memory: a token we cannot check is not valid
  }
}

}  // namespace harmonic::auth
