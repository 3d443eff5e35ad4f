// Which characters the font atlas must hold beyond its fixed ranges.
//
// Dear ImGui 1.86 rasterises a fixed set of glyphs into one texture before the first
// frame and has no way to add one later; an atlas with every CJK ideograph and Hangul
// syllable would be far too big, and even all of Greek and Cyrillic in the four sizes
// would make the first frame slower for everyone. So the atlas starts with what the UI
// itself writes (kBaseGlyphRanges) and, merged in, exactly the other characters the UI
// has had to show: from DejaVu Sans first (Latin, Greek, Cyrillic, Arabic, Hebrew ...),
// then from the fallback font (CJK: kana, Hangul, ideographs). This class keeps that
// set; it draws nothing and reads no font. The App hands it the text the UI is about to
// show (ui/shown_text.hpp) with a test for "the atlas has this glyph"; when it wants a
// rebuild the App rebuilds the atlas between frames with fallback_codepoints() merged
// and calls built() (docs/client.md, "Text in every script").
#pragma once

#include <bitset>
#include <cstddef>
#include <functional>
#include <set>
#include <string_view>
#include <vector>

namespace harmonic::ui {

// Inclusive [first, last] pairs, 0-terminated, as ImFontConfig::GlyphRanges takes them:
// Basic Latin and Latin-1, and the punctuation, arrows and symbols the UI itself writes
// (– … • → ● −).
inline constexpr unsigned short kBaseGlyphRanges[] = {0x0020, 0x00FF, 0x2013, 0x2026, 0x2190, 0x2193,
                                                      0x2212, 0x2212, 0x25CF, 0x25CF, 0};

// The highest character Dear ImGui draws here: its ImWchar is 16 bits, so a character
// beyond the Basic Multilingual Plane (most emoji) is drawn as the missing glyph.
inline constexpr char32_t kLastDrawableCodepoint = 0xFFFF;

class GlyphNeeds {
 public:
  // True when the atlas, as built, has a glyph for the character.
  using InAtlas = std::function<bool(char32_t)>;

  // Notes the characters of UTF-8 text the UI will show. Each character is looked up
  // once; one the atlas lacks waits for the next build. Control characters are not
  // drawn, and U+FFFD is what ImGui draws for malformed bytes: neither is noted.
  void note_text(std::string_view utf8, const InAtlas& in_atlas);
  void note_codepoint(char32_t c, const InAtlas& in_atlas);

  // Whether a rebuild would add glyphs: there are characters no build has tried yet,
  // or the fallback font has arrived for characters DejaVu did not have.
  bool rebuild_wanted(bool fallback_font_ready) const {
    return !fresh_.empty() || (fallback_font_ready && !awaiting_fallback_.empty());
  }
  // Characters DejaVu lacks are waiting for the fallback font: load it (on the web a
  // fetch, only now, so text in Latin scripts never costs its download).
  bool wants_fallback_font() const { return !awaiting_fallback_.empty(); }
  // Every character to merge into the atlas at the next build, ascending: those of
  // earlier builds that a font had, and the waiting ones.
  std::vector<char32_t> fallback_codepoints() const;
  // After a build with fallback_codepoints() merged. `every_font` is true when the
  // build had every font there will be (the fallback font loaded, or known to be
  // unavailable): the characters still missing are in no font, stay drawn as the
  // missing glyph and are not asked for again. Otherwise they wait for the fallback font.
  void built(const InAtlas& in_atlas, bool every_font);
  // The fallback font cannot be had (not installed, not served): the characters
  // waiting for it stay missing and are not asked for again.
  void give_up_fallback();

  // Characters seen in shown text that the atlas lacks (waiting for a build or the
  // fallback font, or in no font): 0 when every character shown has its own glyph.
  std::size_t missing() const { return fresh_.size() + awaiting_fallback_.size() + unavailable_.size(); }
  const std::set<char32_t>& unavailable() const { return unavailable_; }

 private:
  std::bitset<kLastDrawableCodepoint + 1> looked_up_;  // each character is looked up once
  std::set<char32_t> merged_;             // asked for and found in a font
  std::set<char32_t> fresh_;              // seen, missing, no build has tried them
  std::set<char32_t> awaiting_fallback_;  // not in DejaVu; the fallback font was not loaded yet
  std::set<char32_t> unavailable_;        // in no font, or beyond kLastDrawableCodepoint
};

// Decodes the next UTF-8 character of `text` at `at` and moves `at` past it. A
// malformed or truncated sequence gives U+FFFD and moves one byte, as Dear ImGui draws it.
char32_t next_codepoint(std::string_view text, std::size_t& at);

}  // namespace harmonic::ui
