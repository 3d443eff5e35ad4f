#include <catch2/catch.hpp>

#include "auth/secret.hpp"

using namespace harmonic::auth;

TEST_CASE("random secrets are hex of the asked length and differ") {
  const auto a = random_secret_hex();
  const auto b = random_secret_hex();
  CHECK(a.size() == 64);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a != b);
  CHECK(random_secret_hex(16).size() == 32);
  CHECK(random_secret_hex(0).empty());
}
