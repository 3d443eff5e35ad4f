// What the client needs from the platform to talk to the server, as two small
// interfaces. The browser implements them with the WebSocket and fetch APIs
// (web/emscripten_websocket_transport.*, web/fetch_http_client.*), the desktop with
// Boost.Beast (native/beast_*), and the unit tests with fakes that record frames.
// Everything is single-threaded: callbacks arrive on the thread that runs the frame.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace harmonic::client {

// One WebSocket connection attempt. A transport is used once: the session makes a new
// one for every (re)connection. After close() or destruction no callback may fire.
class WebSocketTransport {
 public:
  struct Callbacks {
    std::function<void()> on_open;
    std::function<void(std::string_view text)> on_message;
    // Called once when the connection ends or could not be made (code 1006 for "no
    // connection"). Not called after close().
    std::function<void(int code, std::string reason)> on_close;
  };

  virtual ~WebSocketTransport() = default;
  virtual void connect(const std::string& url, Callbacks callbacks) = 0;
  virtual void send(std::string_view text) = 0;
  virtual void close() = 0;
};

using TransportFactory = std::function<std::unique_ptr<WebSocketTransport>()>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;           // absolute (http://host:port/api/...) or relative to the page
  std::string body;          // JSON text, empty for none
  std::string bearer_token;  // sent as Authorization: Bearer <token> when not empty
};

struct HttpResponse {
  int status = 0;  // 0: the request did not reach the server
  std::string body;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual void request(const HttpRequest& request, std::function<void(HttpResponse)> done) = 0;
};

}  // namespace harmonic::client
