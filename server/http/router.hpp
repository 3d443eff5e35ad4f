// The route table: patterns like "/api/universes/{id}/collaborators/{user_id}" with a
// handler per method. Matching is by whole path segments; a "{name}" segment captures
// one non-empty segment. When a path matches but the method does not, the router says
// which methods would have been allowed (for 405 and its Allow header).
//
// When two patterns match the same path ("/api/universes/import" and
// "/api/universes/{id}"), the one with more literal segments wins for the methods it
// serves, whatever the registration order.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/api.hpp"

namespace harmonic::http {

using RouteParams = std::map<std::string, std::string>;
using RouteHandler = std::function<ApiResponse(const ApiRequest&, const RouteParams&)>;

class Router {
 public:
  void add(std::string method, std::string_view pattern, RouteHandler handler);

  struct Match {
    const RouteHandler* handler = nullptr;  // null: the path matched, the method did not
    RouteParams params;
    std::vector<std::string> allowed_methods;  // every method served at this path, sorted
  };
  // nullopt: no pattern matches the path at all (404).
  std::optional<Match> match(const std::string& method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" captures
    int literal_segments = 0;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

// "/a/b/" -> {"a", "b"}; empty segments in the middle are kept ("/a//b" -> {"a", "", "b"}),
// so such a path matches no pattern.
std::vector<std::string> split_path(std::string_view path);

}  // namespace harmonic::http
