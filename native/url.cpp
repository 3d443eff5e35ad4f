#include "native/url.hpp"

#include <algorithm>
#include <cctype>

namespace harmonic::native {

std::string Url::host_header() const {
  const bool default_port = (secure() && port == "443") || (!secure() && port == "80");
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return default_port ? h : h + ":" + port;
}

std::optional<Url> parse_url(const std::string& text) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0) return std::nullopt;
  Url url;
  url.scheme = text.substr(0, scheme_end);
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  if (url.scheme != "http" && url.scheme != "https" && url.scheme != "ws" && url.scheme != "wss") return std::nullopt;

  const std::size_t authority_start = scheme_end + 3;
  std::size_t authority_end = text.find_first_of("/?#", authority_start);
  if (authority_end == std::string::npos) authority_end = text.size();
  const std::string authority = text.substr(authority_start, authority_end - authority_start);
  if (authority.empty() || authority.find('@') != std::string::npos) return std::nullopt;

  std::string port;
  if (authority.front() == '[') {  // [::1]:8080
    const auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return std::nullopt;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return std::nullopt;
    }
    const int n = std::stoi(port);
    if (n <= 0 || n > 65535) return std::nullopt;
    url.port = std::to_string(n);
  } else {
    url.port = url.secure() ? "443" : "80";
  }

  std::string rest = text.substr(authority_end);
  if (const auto hash = rest.find('#'); hash != std::string::npos) rest.resize(hash);
  if (rest.empty() || rest.front() == '?') rest.insert(rest.begin(), '/');
  url.target = rest;
  return url;
}

}  // namespace harmonic::native
