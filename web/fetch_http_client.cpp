#include "web/fetch_http_client.hpp"

#include <emscripten.h>

namespace harmonic::web {

// Browser APIs, each used by one method below.
EM_JS(void, js_http_request, (int id, const char* method, const char* url, const char* body, const char* token), {
  const m = UTF8ToString(method);
  const b = UTF8ToString(body);
  const t = UTF8ToString(token);
  const headers = {};
  if (b) headers['Content-Type'] = 'application/json';
  if (t) headers['Authorization'] = 'Bearer ' + t;
  fetch(UTF8ToString(url), {method: m, headers: headers, body: (m === 'GET' || !b) ? undefined : b, cache: 'no-store'})
    .then(function(r) { return r.text().then(function(text) { return [r.status, text]; }); })
    .catch(function() { return [0, ""]; })
    .then(function(result) {
      const n = lengthBytesUTF8(result[1]) + 1;
      const p = _malloc(n);
      stringToUTF8(result[1], p, n);
      _harmonic_http_done(id, result[0], p);
      _free(p);
    });
});

void FetchHttpClient::request(const client::HttpRequest& request, std::function<void(client::HttpResponse)> done) {
  const int id = next_id_++;
  pending_[id] = std::move(done);
  js_http_request(id, request.method.c_str(), request.url.c_str(), request.body.c_str(), request.bearer_token.c_str());
}

void FetchHttpClient::complete(int id, int status, const char* body) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  auto done = std::move(it->second);
  pending_.erase(it);
  if (done) done(client::HttpResponse{status, body ? body : ""});
}

}  // namespace harmonic::web
