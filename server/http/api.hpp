// The HTTP API seen without the network: the Beast edge (net/) turns a request into an
// ApiRequest and writes the ApiResponse back, so every route is testable without sockets
// and only net/ pays Beast's compile time.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace harmonic::http {

struct ApiRequest {
  std::string method;                        // "GET", "POST", ...
  std::string path;                          // decoded path without the query, e.g. "/api/universes/3"
  std::map<std::string, std::string> query;  // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;                // for rate limiting logins
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Cache-Control, ETag, ...)
};

}  // namespace harmonic::http
