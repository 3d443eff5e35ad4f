// Splitting a request target into a decoded path and query parameters.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace harmonic::net {

// nullopt for malformed escapes ("%G1", a truncated "%4") and for NUL bytes, raw or decoded.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};
std::optional<Target> parse_target(std::string_view target);

}  // namespace harmonic::net
