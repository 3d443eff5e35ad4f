#include "web/emscripten_websocket_transport.hpp"

#include <cstdint>
#include <cstring>
#include <map>
#include <string>

#include <emscripten/websocket.h>

#include "web/backend_emscripten.hpp"

namespace harmonic::web {

namespace {

class BrowserWebSocket;
std::map<int, BrowserWebSocket*>& sockets() {
  static std::map<int, BrowserWebSocket*> table;
  return table;
}
int next_socket_id = 1;

class BrowserWebSocket final : public client::WebSocketTransport {
 public:
  BrowserWebSocket() : id_(next_socket_id++) { sockets()[id_] = this; }
  ~BrowserWebSocket() override {
    sockets().erase(id_);
    shutdown();
  }

  void connect(const std::string& url, Callbacks callbacks) override {
    callbacks_ = std::move(callbacks);
    EmscriptenWebSocketCreateAttributes attributes;
    emscripten_websocket_init_create_attributes(&attributes);
    attributes.url = url.c_str();
    attributes.protocols = nullptr;
    attributes.createOnMainThread = EM_TRUE;
    socket_ = emscripten_websocket_new(&attributes);
    if (socket_ <= 0) {
      socket_ = 0;
      // Report asynchronously-safe: the session expects on_close for a failed attempt.
      if (callbacks_.on_close) callbacks_.on_close(1006, "cannot create WebSocket");
      return;
    }
    void* user = reinterpret_cast<void*>(static_cast<intptr_t>(id_));
    emscripten_websocket_set_onopen_callback(socket_, user, &BrowserWebSocket::on_open);
    emscripten_websocket_set_onmessage_callback(socket_, user, &BrowserWebSocket::on_message);
    emscripten_websocket_set_onclose_callback(socket_, user, &BrowserWebSocket::on_close);
    emscripten_websocket_set_onerror_callback(socket_, user, &BrowserWebSocket::on_error);
  }

  void send(std::string_view text) override {
    if (!socket_) return;
    std::string copy(text);
    emscripten_websocket_send_utf8_text(socket_, copy.c_str());
  }

  void close() override {
    callbacks_ = Callbacks{};
    shutdown();
  }

 private:
  void shutdown() {
    if (!socket_) return;
    unsigned short state = 0;
    emscripten_websocket_get_ready_state(socket_, &state);
    if (state <= 1) emscripten_websocket_close(socket_, 1000, "bye");
    emscripten_websocket_delete(socket_);
    socket_ = 0;
  }

  static BrowserWebSocket* find(void* user) {
    auto it = sockets().find(static_cast<int>(reinterpret_cast<intptr_t>(user)));
    return it == sockets().end() ? nullptr : it->second;
  }
  static EM_BOOL on_open(int, const EmscriptenWebSocketOpenEvent*, void* user) {
    if (auto* self = find(user); self && self->callbacks_.on_open) self->callbacks_.on_open();
    wake_frames();
    return EM_TRUE;
  }
  static EM_BOOL on_message(int, const EmscriptenWebSocketMessageEvent* event, void* user) {
    auto* self = find(user);
    if (!self || !self->callbacks_.on_message || !event->isText) return EM_TRUE;
    const char* data = reinterpret_cast<const char*>(event->data);
    const std::size_t length = strnlen(data, event->numBytes);
    self->callbacks_.on_message(std::string_view(data, length));
    wake_frames();  // the model changed: the next animation frame shows it (docs/latency.md)
    return EM_TRUE;
  }
  static EM_BOOL on_close(int, const EmscriptenWebSocketCloseEvent* event, void* user) {
    auto* self = find(user);
    if (!self) return EM_TRUE;
    auto callback = std::move(self->callbacks_.on_close);
    self->callbacks_ = Callbacks{};
    if (callback) callback(event->code, event->reason);
    wake_frames();
    return EM_TRUE;
  }
  static EM_BOOL on_error(int, const EmscriptenWebSocketErrorEvent*, void*) {
    return EM_TRUE;  // a close event always follows
  }

  int id_;
  EMSCRIPTEN_WEBSOCKET_T socket_ = 0;
  Callbacks callbacks_;
};

}  // namespace

client::TransportFactory emscripten_websocket_factory() {
  return [] { return std::make_unique<BrowserWebSocket>(); };
}

}  // namespace harmonic::web
