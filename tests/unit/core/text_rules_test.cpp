// The one rule for typed text (core/text_rules.hpp), and that the socket applies it as
// REST does (issue 12, finding 9: universe:update took names REST refuses; finding 2:
// control characters in chat).
#include <catch2/catch.hpp>

#include "core/text_rules.hpp"
#include "hub_fixture.hpp"

using namespace harmonic::core;
using harmonic::test::HubFixture;

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

TEST_CASE("universe names are 1-100 characters, not blank, without control characters", "[input]") {
  CHECK_FALSE(check_universe_name("Nebula"));
  CHECK_FALSE(check_universe_name(std::string(100, 'n')));
  std::string hundred_notes;
  for (int i = 0; i < 100; ++i) hundred_notes += "\xE2\x99\xAA";  // ♪
  CHECK_FALSE(check_universe_name(hundred_notes));
  CHECK(check_universe_name(hundred_notes + "x"));
  CHECK(check_universe_name(std::string(101, 'n')));
  CHECK(check_universe_name(""));
  CHECK(check_universe_name("   \t "));
  CHECK(check_universe_name("bad\x01name"));
  CHECK(check_universe_name("tab\tname"));
  CHECK(check_universe_name("\xFF"));
  CHECK(trim_spaces("  Nebula \n") == "Nebula");

  CHECK_FALSE(check_description(""));
  CHECK_FALSE(check_description("line one\nline two"));
  CHECK_FALSE(check_description(std::string(2000, 'd')));
  CHECK(check_description(std::string(2001, 'd')));
  CHECK(check_description("bell\x07"));
}

TEST_CASE("chat messages follow the rule for names: 1-2000 characters, no control characters", "[input]") {
  CHECK_FALSE(check_chat_message("hello \xE2\x99\xAA"));
  CHECK_FALSE(check_chat_message(std::string(2000, 'm')));
  CHECK(check_chat_message(std::string(2001, 'm')));
  CHECK(check_chat_message(""));
  CHECK(check_chat_message(" \n\t "));
  CHECK(check_chat_message("two\nlines"));
  CHECK(check_chat_message(std::string("nul\0byte", 8)));
  CHECK(check_chat_message("\x1b[31mred"));
  CHECK(check_chat_message("del\x7f"));
}

TEST_CASE("the socket refuses control characters in chat and names, as REST does") {
  HubFixture f;
  auto owner = f.user("owner");
  auto universe = f.universe(owner);
  const auto c = f.connect(owner);
  f.emit(c, "universe:join", {{"universe_id", universe.id}});
  f.take(c);
  f.emit(c, "collaboration:message", {{"universe_id", universe.id}, {"message", "\x01\x02\x03\x04"}}, 1);
  f.emit(c, "universe:update", {{"universe_id", universe.id}, {"changes", {{"name", "bad\x01name"}}}}, 2);
  f.emit(c, "universe:update", {{"universe_id", universe.id}, {"changes", {{"description", "bell\x07"}}}}, 3);
  f.emit(c, "universe:update", {{"universe_id", universe.id}, {"changes", {{"name", "  Spaced  "}}}}, 4);
  const auto events = f.take(c);
  for (int ack = 1; ack <= 3; ++ack) {
    const auto* reply = HubFixture::find(events, "ack:" + std::to_string(ack));
    REQUIRE(reply);
    CHECK(reply->payload["error"]["code"] == "invalid_parameters");
    CHECK(std::string(reply->payload["error"]["message"]).find("control characters") != std::string::npos);
  }
  CHECK(HubFixture::find(events, "ack:4")->payload["universe"]["name"] == "Spaced");  // trimmed, as REST does
  CHECK(f.store.latest_messages(universe.id, 10).empty());
  CHECK(f.store.find_universe(universe.id)->name == "Spaced");
}
