#include "core/text_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace harmonic::core {

namespace {

bool has_control_char(std::string_view text, bool allow_line_breaks) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) return false;
    return byte < 0x20 || byte == 0x7f;
  });
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      code = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      code = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      code = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      code = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size() && extra > 0) return std::nullopt;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
    i += extra + 1;
    ++count;
  }
  return count;
}

std::optional<std::string> check_universe_name(std::string_view name) {
  const auto length = utf8_length(name);
  if (!length) return "name must be valid UTF-8";
  if (*length == 0 || trim_spaces(name).empty()) return "name must not be blank";
  if (*length > kUniverseNameMax) return "name must be at most 100 characters";
  if (has_control_char(name, false)) return "name must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> check_description(std::string_view description) {
  const auto length = utf8_length(description);
  if (!length) return "description must be valid UTF-8";
  if (*length > kDescriptionMax) return "description must be at most 2000 characters";
  if (has_control_char(description, true)) return "description must not contain control characters";
  return std::nullopt;
}

std::optional<std::string> check_chat_message(std::string_view message) {
  const auto length = utf8_length(message);
  if (!length) return "message must be valid UTF-8";
  if (*length == 0 || trim_spaces(message).empty()) return "message must not be blank";
  if (*length > kChatMessageMax) return "message must be at most 2000 characters";
  if (has_control_char(message, false)) return "message must not contain control characters";
  return std::nullopt;
}

std::string trim_spaces(std::string_view text) {
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace harmonic::core
