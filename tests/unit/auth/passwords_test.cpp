#include <catch2/catch.hpp>

#include "auth/passwords.hpp"

using namespace harmonic::auth;

TEST_CASE("a hashed password verifies and a wrong one does not") {
  const auto hash = hash_password("correct horse battery staple");
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hash.find("correct horse") == std::string::npos);
  CHECK(verify_password(hash, "correct horse battery staple"));
  CHECK_FALSE(verify_password(hash, "correct horse battery stapl"));
  CHECK_FALSE(verify_password(hash, "Correct horse battery staple"));
  CHECK_FALSE(verify_password(hash, ""));
  CHECK_FALSE(password_needs_rehash(hash));
}

TEST_CASE("the same password hashes differently each time (fresh salt)") {
  const auto a = hash_password("password123");
  const auto b = hash_password("password123");
  CHECK(a != b);
  CHECK(verify_password(a, "password123"));
  CHECK(verify_password(b, "password123"));
}

TEST_CASE("passwords with NUL bytes and non-ASCII characters are hashed whole") {
  const std::string with_nul("abc\0def", 7);
  const auto hash = hash_password(with_nul);
  CHECK(verify_password(hash, with_nul));
  CHECK_FALSE(verify_password(hash, "abc"));  // no truncation at the NUL
  const auto unicode = hash_password("pässwörd♫");
  CHECK(verify_password(unicode, "pässwörd♫"));
}

TEST_CASE("malformed hashes never verify") {
  const auto good = hash_password("password123");
  CHECK_FALSE(verify_password("", "password123"));
  CHECK_FALSE(verify_password("not a hash", "password123"));
  CHECK_FALSE(verify_password(good.substr(0, good.size() - 4), "password123"));
  CHECK_FALSE(verify_password(std::string(1000, 'x'), "password123"));
  CHECK(password_needs_rehash("not a hash"));
}
