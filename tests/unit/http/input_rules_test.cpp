#include <catch2/catch.hpp>

#include "http/input_rules.hpp"

using namespace harmonic::http;

TEST_CASE("utf8_length counts code points and refuses invalid UTF-8", "[input]") {
  CHECK(utf8_length("") == 0u);
  CHECK(utf8_length("abc") == 3u);
  CHECK(utf8_length("h\xC3\xA9llo") == 5u);            // é
  CHECK(utf8_length("\xF0\x9F\x8E\xB5") == 1u);        // 🎵
  CHECK(utf8_length("\xE6\x97\xA5\xE6\x9C\xAC") == 2u);  // 日本
  CHECK_FALSE(utf8_length("\xC3"));                    // truncated
  CHECK_FALSE(utf8_length("\xF0\x9F\x8E"));            // truncated
  CHECK_FALSE(utf8_length("\xFF"));
  CHECK_FALSE(utf8_length("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(utf8_length("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(utf8_length("\xF4\x90\x80\x80"));  // beyond U+10FFFF
}

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

TEST_CASE("universe names are 1-100 characters, not blank, descriptions at most 2000", "[input]") {
  CHECK_FALSE(check_universe_name("Nebula"));
  CHECK_FALSE(check_universe_name(std::string(100, 'n')));
  std::string hundred_notes;
  for (int i = 0; i < 100; ++i) hundred_notes += "\xF0\x9F\x8E\xB5";  // 400 bytes, 100 characters
  CHECK_FALSE(check_universe_name(hundred_notes));
  CHECK(check_universe_name(hundred_notes + "x"));
  CHECK(check_universe_name(std::string(101, 'n')));
  CHECK(check_universe_name(""));
  CHECK(check_universe_name("   \t "));
  CHECK(check_universe_name("bad\x01name"));
  CHECK(check_universe_name("\xFF"));
  CHECK(trim_spaces("  Nebula \n") == "Nebula");

  CHECK_FALSE(check_description(""));
  CHECK_FALSE(check_description("line one\nline two"));
  CHECK_FALSE(check_description(std::string(2000, 'd')));
  CHECK(check_description(std::string(2001, 'd')));
}
