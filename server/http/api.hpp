// The HTTP API seen without the network: the Beast edge (net/) turns a request into an
// ApiRequest and writes the ApiResponse back, so every route is testable without sockets
// and only net/ pays Beast's compile time.
#pragma once

#include <cstdint>
#include <functional>
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
  // Slow, pure work (password hashing, rendering audio) that must not hold up the I/O
  // thread, where every realtime connection is served: when set, the edge runs it on a
  // worker thread and uses what it returns instead of this response. It must not touch
  // the Store, which belongs to the I/O thread.
  std::function<ApiResponse()> offload;
  // Runs on the I/O thread after `offload`, e.g. to store what the worker computed;
  // its result is what is sent.
  std::function<ApiResponse()> finish;
  // Hold the answer back this long before writing it (the connection waits on a timer, no
  // thread does): logins slow down for a username under attack (LoginSlowDown).
  std::int64_t delay_ms = 0;
  // The id of the user whose token signed the request in, "" when none did: for the
  // access log (net/access_log.hpp).
  std::string user_id;
};

// Runs the offload/finish steps in place, for callers (and tests) without threads.
inline ApiResponse complete_in_place(ApiResponse response) {
  while (response.offload || response.finish) {
    if (response.offload) response = response.offload();
    else response = response.finish();
  }
  return response;
}

}  // namespace harmonic::http
