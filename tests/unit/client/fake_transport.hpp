// A WebSocket transport that records what the session sends and lets a test play the
// server: open the socket, deliver frames, drop the connection.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/transport.hpp"

namespace harmonic::client::testing {

struct FakeSocket {
  std::string url;
  WebSocketTransport::Callbacks callbacks;
  std::vector<std::string> sent;
  bool closed = false;

  void open() { callbacks.on_open(); }
  void receive(const std::string& frame) { callbacks.on_message(frame); }
  void drop(int code = 1006) { callbacks.on_close(code, ""); }
  // The Engine.IO open packet a harmonic-server sends first.
  void handshake(int ping_interval = 25000, int ping_timeout = 20000) {
    open();
    receive("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":" + std::to_string(ping_interval) +
            ",\"pingTimeout\":" + std::to_string(ping_timeout) + ",\"maxPayload\":1000000}");
  }
};

class FakeTransport : public WebSocketTransport {
 public:
  explicit FakeTransport(std::shared_ptr<FakeSocket> socket) : socket_(std::move(socket)) {}
  void connect(const std::string& url, Callbacks callbacks) override {
    socket_->url = url;
    socket_->callbacks = std::move(callbacks);
  }
  void send(std::string_view text) override { socket_->sent.emplace_back(text); }
  void close() override { socket_->closed = true; }

 private:
  std::shared_ptr<FakeSocket> socket_;
};

// Hands out transports and remembers every socket, newest last.
struct FakeNetwork {
  std::vector<std::shared_ptr<FakeSocket>> sockets;
  TransportFactory factory() {
    return [this] {
      sockets.push_back(std::make_shared<FakeSocket>());
      return std::make_unique<FakeTransport>(sockets.back());
    };
  }
  FakeSocket& last() { return *sockets.back(); }
};

struct FakeHttp : HttpClient {
  struct Call {
    HttpRequest request;
    std::function<void(HttpResponse)> done;
  };
  std::vector<Call> calls;
  void request(const HttpRequest& request, std::function<void(HttpResponse)> done) override {
    calls.push_back({request, std::move(done)});
  }
};

}  // namespace harmonic::client::testing
