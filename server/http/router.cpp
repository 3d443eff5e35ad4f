#include "http/router.hpp"

#include <algorithm>
#include <utility>

namespace harmonic::http {

namespace {

bool is_capture(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> segments;
  if (path.empty() || path.front() != '/') return {std::string(path)};  // never matches a pattern
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);  // one trailing slash is ignored
  if (path.empty()) return segments;
  std::size_t start = 0;
  while (true) {
    const auto slash = path.find('/', start);
    segments.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

void Router::add(std::string method, std::string_view pattern, RouteHandler handler) {
  Route route;
  route.method = std::move(method);
  route.segments = split_path(pattern);
  route.literal_segments = static_cast<int>(
      std::count_if(route.segments.begin(), route.segments.end(), [](const auto& s) { return !is_capture(s); }));
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

std::optional<Router::Match> Router::match(const std::string& method, std::string_view path) const {
  const auto segments = split_path(path);
  std::optional<Match> result;
  const Route* best = nullptr;
  RouteParams best_params;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    RouteParams params;
    bool matches = true;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      if (is_capture(route.segments[i])) {
        if (segments[i].empty()) matches = false;
        else params[route.segments[i].substr(1, route.segments[i].size() - 2)] = segments[i];
      } else if (route.segments[i] != segments[i]) {
        matches = false;
      }
    }
    if (!matches) continue;
    if (!result) result.emplace();
    if (std::find(result->allowed_methods.begin(), result->allowed_methods.end(), route.method) ==
        result->allowed_methods.end()) {
      result->allowed_methods.push_back(route.method);
    }
    if (route.method == method && (!best || route.literal_segments > best->literal_segments)) {
      best = &route;
      best_params = std::move(params);
    }
  }
  if (result) {
    std::sort(result->allowed_methods.begin(), result->allowed_methods.end());
    if (best) {
      result->handler = &best->handler;
      result->params = std::move(best_params);
    }
  }
  return result;
}

}  // namespace harmonic::http
