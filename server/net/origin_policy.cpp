#include "net/origin_policy.hpp"

#include <algorithm>

namespace harmonic::net {

namespace {
std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

std::optional<std::string> normalize_origin(std::string_view origin) {
  auto text = lower(origin);
  std::string_view host;
  if (text.rfind("http://", 0) == 0) host = std::string_view(text).substr(7);
  else if (text.rfind("https://", 0) == 0) host = std::string_view(text).substr(8);
  else return std::nullopt;
  if (host.empty()) return std::nullopt;
  for (const unsigned char c : host) {
    // Host names, IPv4, [IPv6] and a port; no path, query, fragment, user info or space.
    const bool allowed = std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
    if (!allowed) return std::nullopt;
  }
  return text;
}

OriginPolicy::OriginPolicy(const std::vector<std::string>& allowed) {
  for (const auto& origin : allowed) {
    if (auto normalized = normalize_origin(origin)) allowed_.push_back(std::move(*normalized));
  }
}

bool OriginPolicy::listed(std::string_view origin) const {
  const auto normalized = normalize_origin(origin);
  return normalized && std::find(allowed_.begin(), allowed_.end(), *normalized) != allowed_.end();
}

bool OriginPolicy::allows(std::string_view origin, std::string_view host) const {
  if (origin.empty()) return true;
  const auto normalized = normalize_origin(origin);
  if (!normalized) return false;
  const auto origin_host = std::string_view(*normalized).substr(normalized->find("://") + 3);
  if (!host.empty() && origin_host == lower(host)) return true;
  return listed(origin);
}

}  // namespace harmonic::net
