// The desktop HTTP client (shared/client/transport.hpp) over Boost.Beast: one
// HTTP/1.1 request per connection, http:// and https://, on the IoThread; `done` runs
// on the UI thread (queued). Status 0 means the request did not reach the server.
#pragma once

#include "client/transport.hpp"
#include "native/io_thread.hpp"

namespace harmonic::native {

class BeastHttpClient final : public client::HttpClient {
 public:
  explicit BeastHttpClient(IoThread& io, double timeout_s = 30) : io_(io), timeout_s_(timeout_s) {}
  void request(const client::HttpRequest& request, std::function<void(client::HttpResponse)> done) override;

 private:
  IoThread& io_;
  double timeout_s_;
};

}  // namespace harmonic::native
