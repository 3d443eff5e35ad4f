// Fuzzes the session-token decoder (server/auth/tokens.hpp) two ways: the input as a
// token (as it arrives in an Authorization header or the Socket.IO auth payload), and the
// input as a header and a payload JSON that the fuzz target signs with the server's
// secret, so the claim checks and cpp-jwt's decoder behind the signature are reached too.
// Invariants:
// - verify() never throws, and what it accepts is what tokens.hpp promises: HS256 signed
//   with our secret, a non-empty `sub`, an `exp` in the future, a `jti` of 1-64 bytes and
//   a non-negative `gen`;
// - base64url is a bijection: decode(encode(x)) == x, and a text that decodes is the
//   one encoding of its bytes;
// - a token issue() made verifies to the claims it was made with.
#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/base64url.hpp"
#include "auth/hmac_sha256.hpp"
#include "auth/tokens.hpp"
#include "fuzz_check.hpp"

namespace auth = harmonic::auth;

namespace {

const std::string kSecret = "fuzzing-secret-0123456789abcdef";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void check_base64url(std::string_view bytes) {
  const auto text = auth::base64url_encode(bytes);
  const auto back = auth::base64url_decode(text);
  FUZZ_CHECK(back && *back == bytes);
  if (const auto decoded = auth::base64url_decode(bytes)) FUZZ_CHECK(auth::base64url_encode(*decoded) == bytes);
}

void check_accepted(const auth::TokenService& service, std::string_view token) {
  const auto claims = service.verify(token);
  if (!claims) return;
  FUZZ_CHECK(!claims->user_id.empty());
  FUZZ_CHECK(claims->expires_at > now_seconds() - 5);
  FUZZ_CHECK(!claims->token_id.empty() && claims->token_id.size() <= 64);
  FUZZ_CHECK(claims->generation >= 0);
  // Accepted means signed with our secret.
  const auto last_dot = token.rfind('.');
  FUZZ_CHECK(last_dot != std::string_view::npos);
  const auto signature = auth::base64url_decode(token.substr(last_dot + 1));
  FUZZ_CHECK(signature && *signature == auth::hmac_sha256(kSecret, token.substr(0, last_dot)));
  const auto header = nlohmann::json::parse(*auth::base64url_decode(token.substr(0, token.find('.'))));
  FUZZ_CHECK(header.at("alg") == "HS256");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auth::TokenService service(kSecret);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_base64url(input);
  check_accepted(service, input);

  // "<header JSON>\n<payload JSON>", signed here as the server would sign it.
  const auto newline = input.find('\n');
  if (newline != std::string_view::npos) {
    const std::string signed_part =
        auth::base64url_encode(input.substr(0, newline)) + "." + auth::base64url_encode(input.substr(newline + 1));
    check_accepted(service, signed_part + "." + auth::base64url_encode(auth::hmac_sha256(kSecret, signed_part)));
  }

  // Issued tokens verify, whatever (valid UTF-8) names they carry.
  if (size <= 64 && nlohmann::json::accept("\"" + std::string(input) + "\"")) {
    const auto text = nlohmann::json::parse("\"" + std::string(input) + "\"").get<std::string>();
    if (!text.empty()) {
      const auto claims = service.verify(service.issue(text, text, 7));
      FUZZ_CHECK(claims && claims->user_id == text && claims->username == text && claims->generation == 7);
    }
  }
  return 0;
}
