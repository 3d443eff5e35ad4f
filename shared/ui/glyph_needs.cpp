#include "ui/glyph_needs.hpp"

namespace harmonic::ui {

namespace {
constexpr char32_t kReplacement = 0xFFFD;

bool drawn(char32_t c) { return c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0) && c != kReplacement; }
}  // namespace

char32_t next_codepoint(std::string_view text, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  int extra = 0;
  char32_t c = 0, min = 0;
  if (lead < 0x80) {
    ++at;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1, c = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, c = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, c = lead & 0x07, min = 0x10000;
  } else {
    ++at;
    return kReplacement;
  }
  if (at + std::size_t(extra) >= text.size()) {  // truncated
    ++at;
    return kReplacement;
  }
  for (int i = 1; i <= extra; ++i) {
    const unsigned char b = byte(at + std::size_t(i));
    if ((b & 0xC0) != 0x80) {
      ++at;
      return kReplacement;
    }
    c = (c << 6) | (b & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and values past Unicode are malformed too.
  if (c < min || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    ++at;
    return kReplacement;
  }
  at += std::size_t(extra) + 1;
  return c;
}

void GlyphNeeds::note_text(std::string_view utf8, const InAtlas& in_atlas) {
  for (std::size_t at = 0; at < utf8.size();) {
    // Most text is ASCII, always in the atlas: skip it without a lookup.
    if (static_cast<unsigned char>(utf8[at]) < 0x80) {
      ++at;
      continue;
    }
    note_codepoint(next_codepoint(utf8, at), in_atlas);
  }
}

void GlyphNeeds::note_codepoint(char32_t c, const InAtlas& in_atlas) {
  if (!drawn(c)) return;
  if (c > kLastDrawableCodepoint) {
    unavailable_.insert(c);
    return;
  }
  if (looked_up_.test(c)) return;
  looked_up_.set(c);
  if (!in_atlas(c)) fresh_.insert(c);
}

std::vector<char32_t> GlyphNeeds::fallback_codepoints() const {
  std::set<char32_t> all = merged_;
  all.insert(fresh_.begin(), fresh_.end());
  all.insert(awaiting_fallback_.begin(), awaiting_fallback_.end());
  return {all.begin(), all.end()};
}

void GlyphNeeds::built(const InAtlas& in_atlas, bool every_font) {
  std::set<char32_t> tried = fresh_;
  tried.insert(awaiting_fallback_.begin(), awaiting_fallback_.end());
  fresh_.clear();
  awaiting_fallback_.clear();
  for (const char32_t c : tried) {
    if (in_atlas(c)) merged_.insert(c);
    else if (every_font) unavailable_.insert(c);
    else awaiting_fallback_.insert(c);
  }
}

void GlyphNeeds::give_up_fallback() {
  unavailable_.insert(awaiting_fallback_.begin(), awaiting_fallback_.end());
  awaiting_fallback_.clear();
}

}  // namespace harmonic::ui
