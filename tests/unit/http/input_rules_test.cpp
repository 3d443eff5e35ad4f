#include <catch2/catch.hpp>

#include "http/input_rules.hpp"

using namespace harmonic::http;

TEST_CASE("usernames are 3-32 letters, digits, _ - .", "[input]") {
  CHECK_FALSE(check_username("ada"));
  CHECK_FALSE(check_username("Ada_Lovelace-1.0"));
  CHECK_FALSE(check_username(std::string(32, 'a')));
  CHECK(check_username("ab"));
  CHECK(check_username(std::string(33, 'a')));
  CHECK(check_username("ada lovelace"));
  CHECK(check_username("ada@home"));
  CHECK(check_username("\xC3\xA9lodie"));
}

TEST_CASE("passwords are at least 8 characters and at most 1024 bytes", "[input]") {
  CHECK_FALSE(check_password("12345678"));
  CHECK(check_password("1234567"));
  CHECK(check_password(""));
  CHECK_FALSE(check_password(std::string(1024, 'x')));
  CHECK(check_password(std::string(1025, 'x')));
  // 8 characters, 16 bytes
  CHECK_FALSE(check_password("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"));
  // 4 characters, 8 bytes
  CHECK(check_password("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"));
}

TEST_CASE("emails need the shape name@domain.tld", "[input]") {
  CHECK_FALSE(check_email("ada@example.org"));
  CHECK_FALSE(check_email("ada.lovelace+music@mail.example.co.uk"));
  CHECK(check_email("ada"));
  CHECK(check_email("@example.org"));
  CHECK(check_email("ada@"));
  CHECK(check_email("ada@example"));
  CHECK(check_email("ada@example."));
  CHECK(check_email("ada@.org"));
  CHECK(check_email("ada@@example.org"));
  CHECK(check_email("ada lovelace@example.org"));
  CHECK(check_email("ada@exa..mple.org"));
  CHECK(check_email(std::string(250, 'a') + "@example.org"));
}
