// What the REST API accepts in user-typed fields, as pure checks: each returns nullopt
// when the value is acceptable, or the reason it is not (the message a client shows).
// The same limits as the realtime protocol (PROTOCOL.md): usernames 3-32 of letters,
// digits, '_', '-', '.'; passwords at least 8 characters; universe names 1-100
// characters, descriptions at most 2000 (characters are UTF-8 code points).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace harmonic::http {

inline constexpr std::size_t kUsernameMin = 3;
inline constexpr std::size_t kUsernameMax = 32;
inline constexpr std::size_t kPasswordMinChars = 8;
inline constexpr std::size_t kPasswordMaxBytes = 1024;  // hashing cost must stay bounded
inline constexpr std::size_t kEmailMaxBytes = 254;
inline constexpr std::size_t kUniverseNameMax = 100;
inline constexpr std::size_t kDescriptionMax = 2000;

// Code points in valid UTF-8; nullopt when the bytes are not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

std::optional<std::string> check_username(std::string_view username);
std::optional<std::string> check_password(std::string_view password);
std::optional<std::string> check_email(std::string_view email);  // "" is not an address: callers skip it
// Checks the name as given; callers trim it first (trim_spaces), so spaces around it do not count.
std::optional<std::string> check_universe_name(std::string_view name);
std::optional<std::string> check_description(std::string_view description);

// Removes ASCII whitespace at both ends.
std::string trim_spaces(std::string_view text);

}  // namespace harmonic::http
