// Which characters the font atlas must add for the text shown (shared/ui/glyph_needs.hpp,
// shared/ui/shown_text.hpp).
#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "ui/glyph_needs.hpp"
#include "ui/shown_text.hpp"

using namespace harmonic::ui;

namespace {
// A pretend atlas: the base ranges plus what the "fonts" of the last build gave.
struct Atlas {
  std::set<char32_t> merged;
  bool has(char32_t c) const {
    for (int i = 0; kBaseGlyphRanges[i]; i += 2) {
      if (c >= kBaseGlyphRanges[i] && c <= kBaseGlyphRanges[i + 1]) return true;
    }
    return merged.count(c) > 0;
  }
  GlyphNeeds::InAtlas test() const {
    return [this](char32_t c) { return has(c); };
  }
  // A rebuild merging `wanted` from fonts that have `font_has`.
  void build(const std::vector<char32_t>& wanted, const std::function<bool(char32_t)>& font_has) {
    merged.clear();
    for (char32_t c : wanted) {
      if (font_has(c)) merged.insert(c);
    }
  }
};
bool dejavu_has(char32_t c) { return c < 0x0700; }  // Latin, Greek, Cyrillic, Arabic ...
bool cjk_font_has(char32_t c) { return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3); }
bool both_have(char32_t c) { return dejavu_has(c) || cjk_font_has(c); }

std::vector<char32_t> decode(std::string_view text) {
  std::vector<char32_t> out;
  for (std::size_t at = 0; at < text.size();) out.push_back(next_codepoint(text, at));
  return out;
}
}  // namespace

TEST_CASE("glyphs: UTF-8 decoding, malformed bytes as U+FFFD one byte at a time") {
  CHECK(decode("aé你") == std::vector<char32_t>{'a', 0xE9, 0x4F60});
  CHECK(decode("\xF0\x9F\x98\x80") == std::vector<char32_t>{0x1F600});  // an emoji, beyond 16 bits
  CHECK(decode("\xE4\xBD") == std::vector<char32_t>{0xFFFD, 0xFFFD});   // truncated
  CHECK(decode("\xC0\xAF") == std::vector<char32_t>{0xFFFD, 0xFFFD});   // overlong "/"
  CHECK(decode("\xED\xA0\x80") == std::vector<char32_t>{0xFFFD, 0xFFFD, 0xFFFD});  // a UTF-16 surrogate
  CHECK(decode("\xFF" "a") == std::vector<char32_t>{0xFFFD, 'a'});
}

TEST_CASE("glyphs: Latin text asks for nothing, other scripts ask for exactly their characters") {
  Atlas atlas;
  GlyphNeeds needs;
  needs.note_text("Hello, café – 2² → ●", atlas.test());
  CHECK(needs.missing() == 0);
  CHECK_FALSE(needs.rebuild_wanted(false));
  needs.note_text("Привет 你好 Привет", atlas.test());
  CHECK(needs.rebuild_wanted(false));
  CHECK(needs.missing() == 8);  // П р и в е т 你 好, each once
  CHECK(needs.fallback_codepoints() ==
        std::vector<char32_t>{0x041F, 0x0432, 0x0435, 0x0438, 0x0440, 0x0442, 0x4F60, 0x597D});
}

TEST_CASE("glyphs: DejaVu's characters come at once, CJK waits for the fallback font, then the count is 0") {
  Atlas atlas;
  GlyphNeeds needs;
  needs.note_text("你好 Привет Γειά こんにちは 안녕", atlas.test());
  CHECK_FALSE(needs.wants_fallback_font());  // nobody knows yet that DejaVu lacks them
  // The first rebuild, before the fallback font arrived: DejaVu only.
  atlas.build(needs.fallback_codepoints(), dejavu_has);
  needs.built(atlas.test(), false);
  CHECK(atlas.has(0x041F));  // П
  CHECK(atlas.has(0x0393));  // Γ
  CHECK(needs.wants_fallback_font());
  CHECK(needs.missing() == 2 + 5 + 2);  // 你好 こんにちは 안녕 wait for the font
  CHECK_FALSE(needs.rebuild_wanted(false));  // no point rebuilding until it is here
  CHECK(needs.rebuild_wanted(true));
  // The font arrived: one more build with both.
  const std::vector<char32_t> wanted = needs.fallback_codepoints();
  CHECK(std::count(wanted.begin(), wanted.end(), char32_t{0x041F}) == 1);  // what was merged stays asked for
  atlas.build(wanted, both_have);
  needs.built(atlas.test(), true);
  CHECK(needs.missing() == 0);
  CHECK_FALSE(needs.wants_fallback_font());
  CHECK_FALSE(needs.rebuild_wanted(true));
  CHECK(atlas.has(0xC548));  // 안
  // Seen again: nothing new to do.
  needs.note_text("你好 Привет", atlas.test());
  CHECK_FALSE(needs.rebuild_wanted(true));
}

TEST_CASE("glyphs: a character no font has is missing for good and not asked for again") {
  Atlas atlas;
  GlyphNeeds needs;
  needs.note_text("ᚠ 你", atlas.test());  // a rune: neither DejaVu (here) nor the CJK font
  atlas.build(needs.fallback_codepoints(), both_have);
  needs.built(atlas.test(), true);
  CHECK(needs.missing() == 1);
  CHECK(needs.unavailable() == std::set<char32_t>{0x16A0});
  CHECK_FALSE(needs.rebuild_wanted(true));
  CHECK(needs.fallback_codepoints() == std::vector<char32_t>{0x4F60});
}

TEST_CASE("glyphs: without a fallback font the CJK characters give up and stop asking") {
  Atlas atlas;
  GlyphNeeds needs;
  needs.note_text("你好", atlas.test());
  atlas.build(needs.fallback_codepoints(), dejavu_has);
  needs.built(atlas.test(), false);
  CHECK(needs.wants_fallback_font());
  needs.give_up_fallback();
  CHECK_FALSE(needs.wants_fallback_font());
  CHECK_FALSE(needs.rebuild_wanted(true));
  CHECK(needs.missing() == 2);
}

TEST_CASE("glyphs: control characters, U+FFFD and malformed bytes ask for nothing, emoji are missing") {
  Atlas atlas;
  GlyphNeeds needs;
  needs.note_text("a\tb\n\x7F\xC2\x85\xEF\xBF\xBD\xFF\xE4\xBD", atlas.test());
  CHECK(needs.missing() == 0);
  CHECK_FALSE(needs.rebuild_wanted(true));
  needs.note_text("\xF0\x9F\x98\x80", atlas.test());  // ImGui's 16-bit characters cannot draw it
  CHECK(needs.missing() == 1);
  CHECK_FALSE(needs.rebuild_wanted(true));
}

TEST_CASE("glyphs: the shown text is every name, universe, chat line and toast of the model") {
  harmonic::client::ClientState s;
  s.user = harmonic::client::User{"1", "ユーザー"};
  s.universes.push_back({"u1", "星雲", "описание", "1", "owner", false});
  s.collaborators["u1"] = {"Γιάννης"};
  s.universe = {{"name", "宇宙"}, {"description", 42}};  // a non-string is skipped, not thrown
  s.participants.push_back({"2", "민수", "active"});
  s.cursors["2"].username = "민수";
  s.chat.push_back({"m1", "2", "민수", "안녕", 0});
  s.notices.push_back({harmonic::client::NoticeLevel::info, "Заголовок", "текст", nullptr, 0, 1000});
  std::set<std::string> seen;
  for_each_shown_text(s, [&](std::string_view text) { seen.insert(std::string(text)); });
  for (const char* expected : {"ユーザー", "星雲", "описание", "Γιάννης", "宇宙", "민수", "안녕", "Заголовок", "текст"}) {
    CHECK(seen.count(expected) == 1);
  }
}
