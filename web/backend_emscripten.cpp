#include "web/backend_emscripten.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <emscripten.h>
#include <emscripten/websocket.h>

#include "imgui.h"

namespace harmonic::web {

// [JavaScript] ---------------------------------------------------------------------
// Small pieces of browser API, each used by one method below.

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

EM_JS(char*, js_local_storage_get, (const char* key), {
  let v = null;
  try { v = window.localStorage.getItem(UTF8ToString(key)); } catch (e) {}
  if (v === null) return 0;
  const n = lengthBytesUTF8(v) + 1;
  const p = _malloc(n);
  stringToUTF8(v, p, n);
  return p;
});
EM_JS(void, js_local_storage_set, (const char* key, const char* value), {
  try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(void, js_local_storage_remove, (const char* key), {
  try { window.localStorage.removeItem(UTF8ToString(key)); } catch (e) {}
});

EM_JS(void, js_set_clipboard, (const char* text), {
  const s = UTF8ToString(text);
  const fallback = function() {
    const area = document.createElement('textarea');
    area.value = s;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) {}
    document.body.removeChild(area);
  };
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(s).catch(fallback);
  else fallback();
});

// Returns "origin\ntoken\nuniverse\ndebug" from the page URL.
EM_JS(char*, js_startup_options, (), {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const query = new URLSearchParams(window.location.search);
  let debug = query.get('debug') || hash.get('debug') || '0';
  const s = [window.location.origin, hash.get('token') || "", hash.get('universe') || "", debug].join('\n');
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});

EM_JS(void, js_set_location, (const char* fragment), {
  const f = UTF8ToString(fragment);
  const url = window.location.pathname + window.location.search + (f ? '#' + f : "");
  if (url !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.replaceState(null, "", url);
  }
});

EM_JS(char*, js_origin, (), {
  const s = window.location.origin + window.location.pathname;
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});

EM_JS(void, js_set_title, (const char* title), { document.title = UTF8ToString(title); });
EM_JS(int, js_visible, (), { return document.visibilityState === 'visible' ? 1 : 0; });

EM_JS(void, js_first_frame, (), {
  if (typeof window.harmonicFirstFrame === 'function') window.harmonicFirstFrame();
});

EM_JS(void, js_install_page_hooks, (), {
  // Paste: browsers hand clipboard text only to a paste event.
  window.addEventListener('paste', function(e) {
    const text = (e.clipboardData || window.clipboardData).getData('text');
    const n = lengthBytesUTF8(text) + 1;
    const p = _malloc(n);
    stringToUTF8(text, p, n);
    _harmonic_paste(p);
    _free(p);
  });
  // Keep the browser from scrolling or zooming the page on wheel over the canvas.
  Module.canvas.addEventListener('wheel', function(e) { e.preventDefault(); }, {passive: false});
  Module.canvas.addEventListener('contextmenu', function(e) { e.preventDefault(); });
});

EM_JS(int, js_audio_start, (int sample_rate, int channels), {
  try {
    if (!Module.harmonicAudio) {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      const ctx = new Ctx({sampleRate: sample_rate});
      const node = ctx.createScriptProcessor(2048, 0, channels);
      node.onaudioprocess = function(e) {
        const out = e.outputBuffer;
        const frames = out.length;
        const ptr = _harmonic_audio_render(frames);
        const data = HEAPF32.subarray(ptr >> 2, (ptr >> 2) + frames * channels);
        for (let c = 0; c < out.numberOfChannels; ++c) {
          const dest = out.getChannelData(c);
          for (let i = 0; i < frames; ++i) dest[i] = data[i * channels + Math.min(c, channels - 1)];
        }
      };
      node.connect(ctx.destination);
      Module.harmonicAudio = {ctx: ctx, node: node};
    }
    Module.harmonicAudio.ctx.resume();
    return 1;
  } catch (e) {
    console.warn('audio:', e);
    return 0;
  }
});
EM_JS(void, js_audio_stop, (), {
  if (Module.harmonicAudio) Module.harmonicAudio.ctx.suspend();
});
EM_JS(int, js_audio_running, (), {
  return (Module.harmonicAudio && Module.harmonicAudio.ctx.state === 'running') ? 1 : 0;
});

// [HTTP] ---------------------------------------------------------------------------

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

// [WebSocket] ----------------------------------------------------------------------
// Callbacks find their transport through an id, so a socket that fires after its
// transport was destroyed finds nothing and is ignored.

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
    return EM_TRUE;
  }
  static EM_BOOL on_message(int, const EmscriptenWebSocketMessageEvent* event, void* user) {
    auto* self = find(user);
    if (!self || !self->callbacks_.on_message || !event->isText) return EM_TRUE;
    const char* data = reinterpret_cast<const char*>(event->data);
    const std::size_t length = strnlen(data, event->numBytes);
    self->callbacks_.on_message(std::string_view(data, length));
    return EM_TRUE;
  }
  static EM_BOOL on_close(int, const EmscriptenWebSocketCloseEvent* event, void* user) {
    auto* self = find(user);
    if (!self) return EM_TRUE;
    auto callback = std::move(self->callbacks_.on_close);
    self->callbacks_ = Callbacks{};
    if (callback) callback(event->code, event->reason);
    return EM_TRUE;
  }
  static EM_BOOL on_error(int, const EmscriptenWebSocketErrorEvent*, void*) {
    return EM_TRUE;  // a close event always follows
  }

  int id_;
  EMSCRIPTEN_WEBSOCKET_T socket_ = 0;
  Callbacks callbacks_;
};

// [Input] --------------------------------------------------------------------------

BackendEmscripten* g_backend = nullptr;

// ImGui 1.86 samples the button state once per frame, so a press and release between
// two frames (a quick click) would be lost: such a release waits for the next frame.
bool g_pressed_this_frame[3] = {false, false, false};
bool g_release_next_frame[3] = {false, false, false};
bool g_key_pressed_this_frame[512] = {};
bool g_key_release_next_frame[512] = {};

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(float(e->targetX), float(e->targetY));
  if (e->button < 3 && type != EMSCRIPTEN_EVENT_MOUSEMOVE) {
    const int button = e->button == 1 ? 2 : e->button == 2 ? 1 : e->button;  // DOM: 0 left, 1 middle, 2 right
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN) {
      io.MouseDown[button] = true;
      g_pressed_this_frame[button] = true;
      g_release_next_frame[button] = false;
    }
    if (type == EMSCRIPTEN_EVENT_MOUSEUP) {
      if (g_pressed_this_frame[button]) g_release_next_frame[button] = true;
      else io.MouseDown[button] = false;
    }
  }
  io.KeyCtrl = e->ctrlKey;
  io.KeyShift = e->shiftKey;
  io.KeyAlt = e->altKey;
  io.KeySuper = e->metaKey;
  if (g_backend) g_backend->mark_activity();
  return type != EMSCRIPTEN_EVENT_MOUSEMOVE;
}

EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent*, void*) {
  ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  return EM_FALSE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  double scale = 1.0 / 100.0;  // pixels
  if (e->deltaMode == DOM_DELTA_LINE) scale = 1.0 / 3.0;
  else if (e->deltaMode == DOM_DELTA_PAGE) scale = 1.0;
  io.MouseWheel += float(-e->deltaY * scale);
  io.MouseWheelH += float(-e->deltaX * scale);
  if (g_backend) g_backend->mark_activity();
  return EM_TRUE;
}

EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  if (e->keyCode < 512) {
    // Like mouse buttons: a key pressed and released between two frames stays down
    // for one frame, or ImGui would never see a quick Enter.
    if (down) {
      io.KeysDown[e->keyCode] = true;
      g_key_pressed_this_frame[e->keyCode] = true;
      g_key_release_next_frame[e->keyCode] = false;
    } else if (g_key_pressed_this_frame[e->keyCode]) {
      g_key_release_next_frame[e->keyCode] = true;
    } else {
      io.KeysDown[e->keyCode] = false;
    }
  }
  io.KeyCtrl = e->ctrlKey;
  io.KeyShift = e->shiftKey;
  io.KeyAlt = e->altKey;
  io.KeySuper = e->metaKey;
  if (g_backend) g_backend->mark_activity();
  const bool command = e->ctrlKey || e->metaKey;
  if (down && !command) {
    // A printable key: its text is the `key` string (one character, any script).
    const std::size_t length = std::strlen(e->key);
    const unsigned char first = static_cast<unsigned char>(e->key[0]);
    const bool single = length == 1 || (length > 1 && length <= 4 && first >= 0xC0 &&
                                        (length == 2 ? first < 0xE0 : length == 3 ? first < 0xF0 : true));
    if (single && first >= 0x20) io.AddInputCharactersUTF8(e->key);
  }
  // Let the browser keep copy/paste (the paste event carries the text) and its own
  // shortcuts unless ImGui is typing; keep Tab and arrows from moving the page.
  if (command) return EM_FALSE;
  if (e->keyCode == 9 || e->keyCode == 8 || (e->keyCode >= 37 && e->keyCode <= 40) || e->keyCode == 32) {
    return io.WantCaptureKeyboard || e->keyCode == 9 || e->keyCode == 8;
  }
  return io.WantTextInput;
}

EM_BOOL on_blur(int, const EmscriptenFocusEvent*, void*) {
  ImGuiIO& io = ImGui::GetIO();
  std::memset(io.KeysDown, 0, sizeof io.KeysDown);
  io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
  for (bool& b : io.MouseDown) b = false;
  return EM_FALSE;
}

const char* get_clipboard(void*) {
  return g_backend ? g_backend->paste_text().c_str() : "";
}
void set_clipboard_text(void*, const char* text) {
  if (g_backend) g_backend->set_clipboard(text ? text : "");
}

void frame_trampoline(void* arg) {
  auto* backend = static_cast<BackendEmscripten*>(arg);
  (void)backend;
}

}  // namespace

// [Backend] ------------------------------------------------------------------------

BackendEmscripten::BackendEmscripten() { g_backend = this; }

BackendEmscripten::~BackendEmscripten() {
  if (context_) emscripten_webgl_destroy_context(context_);
  g_backend = nullptr;
}

bool BackendEmscripten::create_context() {
  EmscriptenWebGLContextAttributes attributes;
  emscripten_webgl_init_context_attributes(&attributes);
  attributes.majorVersion = 2;
  attributes.minorVersion = 0;
  attributes.alpha = EM_FALSE;
  attributes.depth = EM_FALSE;
  attributes.stencil = EM_FALSE;
  attributes.antialias = EM_FALSE;
  attributes.premultipliedAlpha = EM_TRUE;
  attributes.preserveDrawingBuffer = EM_FALSE;
  attributes.powerPreference = EM_WEBGL_POWER_PREFERENCE_HIGH_PERFORMANCE;
  context_ = emscripten_webgl_create_context("#canvas", &attributes);
  if (context_ <= 0) return false;
  emscripten_webgl_make_context_current(context_);
  update_canvas_size();
  return true;
}

void BackendEmscripten::install_input() {
  emscripten_set_mousedown_callback("#canvas", nullptr, EM_TRUE, on_mouse);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, EM_TRUE, on_mouse);
  emscripten_set_mousemove_callback("#canvas", nullptr, EM_TRUE, on_mouse);
  emscripten_set_mouseleave_callback("#canvas", nullptr, EM_TRUE, on_mouse_leave);
  emscripten_set_wheel_callback("#canvas", nullptr, EM_TRUE, on_wheel);
  emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
  emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_key);
  emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_blur);
  js_install_page_hooks();

  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "harmonic_emscripten";
  io.KeyMap[ImGuiKey_Tab] = 9;
  io.KeyMap[ImGuiKey_LeftArrow] = 37;
  io.KeyMap[ImGuiKey_RightArrow] = 39;
  io.KeyMap[ImGuiKey_UpArrow] = 38;
  io.KeyMap[ImGuiKey_DownArrow] = 40;
  io.KeyMap[ImGuiKey_PageUp] = 33;
  io.KeyMap[ImGuiKey_PageDown] = 34;
  io.KeyMap[ImGuiKey_Home] = 36;
  io.KeyMap[ImGuiKey_End] = 35;
  io.KeyMap[ImGuiKey_Insert] = 45;
  io.KeyMap[ImGuiKey_Delete] = 46;
  io.KeyMap[ImGuiKey_Backspace] = 8;
  io.KeyMap[ImGuiKey_Space] = 32;
  io.KeyMap[ImGuiKey_Enter] = 13;
  io.KeyMap[ImGuiKey_Escape] = 27;
  io.KeyMap[ImGuiKey_KeyPadEnter] = 13;
  io.KeyMap[ImGuiKey_A] = 65;
  io.KeyMap[ImGuiKey_C] = 67;
  io.KeyMap[ImGuiKey_V] = 86;
  io.KeyMap[ImGuiKey_X] = 88;
  io.KeyMap[ImGuiKey_Y] = 89;
  io.KeyMap[ImGuiKey_Z] = 90;
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard_text;
}

void BackendEmscripten::update_canvas_size() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const float dpi = float(std::max(1.0, emscripten_get_device_pixel_ratio()));
  const int w = std::max(1, int(std::lround(css_w * dpi)));
  const int h = std::max(1, int(std::lround(css_h * dpi)));
  if (w != fb_width_ || h != fb_height_) emscripten_set_canvas_element_size("#canvas", w, h);
  fb_width_ = w;
  fb_height_ = h;
  css_width_ = std::max(1.0, css_w);
  css_height_ = std::max(1.0, css_h);
  dpi_ = dpi;
}

namespace {
std::function<void()>* g_frame = nullptr;
void main_loop() {
  if (g_frame) (*g_frame)();
}
}  // namespace

void BackendEmscripten::run(std::function<void()> frame) {
  frame_ = std::move(frame);
  g_frame = &frame_;
  (void)frame_trampoline;
  emscripten_set_main_loop(main_loop, 0, EM_FALSE);
}

void BackendEmscripten::new_frame() {
  static bool input_installed = false;
  if (!input_installed) {
    install_input();
    input_installed = true;
  }
  update_canvas_size();
  ImGuiIO& io = ImGui::GetIO();
  // Releases held back from the last frame (see on_mouse); presses start a new frame.
  static bool release_now[3] = {false, false, false};
  for (int b = 0; b < 3; ++b) {
    if (release_now[b]) io.MouseDown[b] = false;
    release_now[b] = g_release_next_frame[b];
    g_release_next_frame[b] = false;
    g_pressed_this_frame[b] = false;
  }
  static bool key_release_now[512] = {};
  for (int k = 0; k < 512; ++k) {
    if (key_release_now[k]) io.KeysDown[k] = false;
    key_release_now[k] = g_key_release_next_frame[k];
    g_key_release_next_frame[k] = false;
    g_key_pressed_this_frame[k] = false;
  }
  io.DisplaySize = ImVec2(float(css_width_), float(css_height_));
  io.DisplayFramebufferScale = ImVec2(float(fb_width_ / css_width_), float(fb_height_ / css_height_));
  const double now = emscripten_get_now();
  io.DeltaTime = last_time_ > 0 ? float(std::max(0.0001, (now - last_time_) / 1000.0)) : 1.0f / 60.0f;
  last_time_ = now;
}

void BackendEmscripten::end_frame() {
  if (!first_frame_done_) {
    first_frame_done_ = true;
    js_first_frame();
  }
}

double BackendEmscripten::monotonic_ms() const { return emscripten_get_now(); }
double BackendEmscripten::wall_clock_ms() const { return emscripten_date_now(); }

client::TransportFactory BackendEmscripten::websocket_factory() {
  return [] { return std::make_unique<BrowserWebSocket>(); };
}

bool BackendEmscripten::start_audio(int sample_rate, int channels, app::AudioPull pull) {
  audio_pull_ = std::move(pull);
  audio_channels_ = channels;
  return js_audio_start(sample_rate, channels) != 0;
}
void BackendEmscripten::stop_audio() { js_audio_stop(); }
bool BackendEmscripten::audio_running() const { return js_audio_running() != 0; }

void BackendEmscripten::fill_audio(float* out, int frames) {
  if (audio_pull_) audio_pull_(out, frames, audio_channels_);
  else std::memset(out, 0, sizeof(float) * std::size_t(frames * audio_channels_));
}

void BackendEmscripten::set_clipboard(const std::string& text) {
  paste_text_ = text;
  js_set_clipboard(text.c_str());
}

std::optional<std::string> BackendEmscripten::load_setting(const std::string& key) {
  char* value = js_local_storage_get(key.c_str());
  if (!value) return std::nullopt;
  std::string out(value);
  std::free(value);
  return out;
}
void BackendEmscripten::save_setting(const std::string& key, const std::string& value) {
  js_local_storage_set(key.c_str(), value.c_str());
}
void BackendEmscripten::remove_setting(const std::string& key) { js_local_storage_remove(key.c_str()); }

app::StartupOptions BackendEmscripten::startup_options() {
  char* raw = js_startup_options();
  std::string text(raw);
  std::free(raw);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find('\n', start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  parts.resize(4);
  app::StartupOptions options;
  options.server_origin = parts[0];
  options.token = parts[1];
  options.universe_id = parts[2];
  options.debug_level = std::clamp(std::atoi(parts[3].c_str()), 0, 3);
  return options;
}

void BackendEmscripten::set_location(const std::string& fragment) { js_set_location(fragment.c_str()); }

std::string BackendEmscripten::universe_link(const std::string& universe_id) {
  char* raw = js_origin();
  std::string base(raw);
  std::free(raw);
  return base + "#universe=" + universe_id;
}

void BackendEmscripten::set_title(const std::string& title) {
  if (title == title_) return;
  title_ = title;
  js_set_title(title.c_str());
}

bool BackendEmscripten::visible() const { return js_visible() != 0; }

bool BackendEmscripten::take_input_activity() {
  const bool was = activity_;
  activity_ = false;
  return was;
}

std::string BackendEmscripten::font_path(bool bold) const {
  return bold ? "/assets/DejaVuSans-Bold.ttf" : "/assets/DejaVuSans.ttf";
}

}  // namespace harmonic::web
