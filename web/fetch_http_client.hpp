// The browser's HTTP client (shared/client/transport.hpp) over fetch(): `done` runs
// when JavaScript calls complete() (main.cpp's harmonic_http_done). Status 0 means
// the request did not reach the server.
#pragma once

#include <functional>
#include <map>

#include "client/transport.hpp"

namespace harmonic::web {

class FetchHttpClient final : public client::HttpClient {
 public:
  void request(const client::HttpRequest& request, std::function<void(client::HttpResponse)> done) override;
  // Called from JavaScript when a fetch finishes.
  void complete(int id, int status, const char* body);

 private:
  int next_id_ = 1;
  std::map<int, std::function<void(client::HttpResponse)>> pending_;
};

}  // namespace harmonic::web
