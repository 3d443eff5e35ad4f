// What the server accepts in text people type: universe names, descriptions and chat
// messages. One rule for the REST API and the realtime protocol alike, so a name refused
// over REST is not accepted over the socket (issue 12, findings 2 and 9). Each check
// returns nullopt when the text is acceptable, or the reason it is not (the message a
// client shows). Characters are Unicode code points of valid UTF-8.
//
// Control characters (U+0000-U+001F, U+007F) are refused everywhere except line breaks and
// tabs in descriptions: they are invisible or break the display, and every one of them
// costs six bytes on the wire (\u00XX), which made chat an amplifier for state:sync.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace harmonic::core {

inline constexpr std::size_t kUniverseNameMax = 100;
inline constexpr std::size_t kDescriptionMax = 2000;
inline constexpr std::size_t kChatMessageMax = 2000;

// Code points in valid UTF-8; nullopt when the bytes are not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

// Checks the name as given; callers trim it first (trim_spaces), so spaces around it do not count.
std::optional<std::string> check_universe_name(std::string_view name);
std::optional<std::string> check_description(std::string_view description);
// 1 to 2000 characters, not blank, no control characters (the rule for names).
std::optional<std::string> check_chat_message(std::string_view message);

// Removes ASCII whitespace at both ends.
std::string trim_spaces(std::string_view text);

}  // namespace harmonic::core
