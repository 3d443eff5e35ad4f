// The building blocks of token verification, checked against published test vectors so
// the token tests below do not merely agree with themselves.
#include <catch2/catch.hpp>

#include "auth/base64url.hpp"
#include "auth/hmac_sha256.hpp"

using namespace harmonic::auth;

namespace {
std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}
}  // namespace

TEST_CASE("base64url encodes without padding in the URL-safe alphabet") {
  CHECK(base64url_encode("") == "");
  CHECK(base64url_encode("f") == "Zg");
  CHECK(base64url_encode("foobar") == "Zm9vYmFy");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64url_encode(R"({"alg":"HS256","typ":"JWT"})") == "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
}

TEST_CASE("base64url decoding is strict") {
  CHECK(base64url_decode("Zm9vYmFy") == "foobar");
  CHECK(base64url_decode("-_8") == "\xfb\xff");
  CHECK_FALSE(base64url_decode("Zg=="));      // padding
  CHECK_FALSE(base64url_decode("+/8"));       // the standard, not URL-safe, alphabet
  CHECK_FALSE(base64url_decode("Zm9v YmFy"));  // whitespace
  CHECK_FALSE(base64url_decode("Zh"));        // leftover bits: a second spelling of "f"
  CHECK_FALSE(base64url_decode("Z"));         // impossible length
  CHECK_FALSE(base64url_decode("Zm9\xc3\xa9"));  // bytes >= 0x80
  // libsodium reads a byte >= 0x80 as its low 7 bits ("\xf6" as 'v'), so without a check
  // of our own these would be second spellings of "foo" (found by tests/fuzz/jwt.cpp).
  CHECK_FALSE(base64url_decode("Zm9\xf6"));
  CHECK_FALSE(base64url_decode("Zm\xb9v"));
  CHECK_FALSE(base64url_decode("\xad" "A"));
}

TEST_CASE("HMAC-SHA-256 matches RFC 4231 test cases") {
  // Test case 2: a short key.
  CHECK(hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size, which must be hashed first.
  CHECK(hex(hmac_sha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("the jwt.io example token's signature is reproduced") {
  const std::string signed_part =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";
  CHECK(base64url_encode(hmac_sha256("your-256-bit-secret", signed_part)) ==
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
}

TEST_CASE("constant_time_equal compares content and length") {
  CHECK(constant_time_equal("abc", "abc"));
  CHECK(constant_time_equal("", ""));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
}
