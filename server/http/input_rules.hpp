// What the REST API accepts in account fields, as pure checks: each returns nullopt
// when the value is acceptable, or the reason it is not (the message a client shows):
// usernames 3-32 of letters, digits, '_', '-', '.'; passwords at least 8 characters
// (characters are UTF-8 code points). Universe names and descriptions follow the rule
// the realtime protocol uses too, core/text_rules.hpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/text_rules.hpp"

namespace harmonic::http {

using core::check_description;
using core::check_universe_name;
using core::trim_spaces;
using core::utf8_length;

inline constexpr std::size_t kUsernameMin = 3;
inline constexpr std::size_t kUsernameMax = 32;
inline constexpr std::size_t kPasswordMinChars = 8;
inline constexpr std::size_t kPasswordMaxBytes = 1024;  // hashing cost must stay bounded
inline constexpr std::size_t kEmailMaxBytes = 254;

std::optional<std::string> check_username(std::string_view username);
std::optional<std::string> check_password(std::string_view password);
std::optional<std::string> check_email(std::string_view email);  // "" is not an address: callers skip it

}  // namespace harmonic::http
