// The browser backend: canvas + WebGL2 context (html5.h), requestAnimationFrame main
// loop, ImGui input from DOM events, WebSocket (emscripten/websocket.h), fetch,
// WebAudio, clipboard, localStorage and the page URL. Thin on purpose: everything a
// person sees is in shared/.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <emscripten/html5.h>

#include "app/backend.hpp"

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

class BackendEmscripten final : public app::Backend {
 public:
  BackendEmscripten();
  ~BackendEmscripten() override;

  bool create_context();

  void run(std::function<void()> frame) override;
  void new_frame() override;
  void end_frame() override;
  int framebuffer_width() const override { return fb_width_; }
  int framebuffer_height() const override { return fb_height_; }
  float dpi_scale() const override { return dpi_; }
  double monotonic_ms() const override;
  double wall_clock_ms() const override;
  client::TransportFactory websocket_factory() override;
  client::HttpClient& http() override { return http_; }
  bool start_audio(int sample_rate, int channels, app::AudioPull pull) override;
  void stop_audio() override;
  bool audio_running() const override;
  void set_clipboard(const std::string& text) override;
  std::optional<std::string> load_setting(const std::string& key) override;
  void save_setting(const std::string& key, const std::string& value) override;
  void remove_setting(const std::string& key) override;
  app::StartupOptions startup_options() override;
  void set_location(const std::string& fragment) override;
  std::string universe_link(const std::string& universe_id) override;
  void set_title(const std::string& title) override;
  bool visible() const override;
  bool take_input_activity() override;
  std::string font_path(bool bold) const override;

  // Entry points for JavaScript callbacks (see main.cpp).
  void fill_audio(float* out, int frames);
  FetchHttpClient& fetch_client() { return http_; }
  void set_paste_text(const char* text) { paste_text_ = text ? text : ""; }
  const std::string& paste_text() const { return paste_text_; }
  void mark_activity() { activity_ = true; }

 private:
  void update_canvas_size();
  void install_input();

  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE context_ = 0;
  int fb_width_ = 1, fb_height_ = 1;
  double css_width_ = 1, css_height_ = 1;
  float dpi_ = 1;
  double last_time_ = 0;
  std::function<void()> frame_;
  FetchHttpClient http_;
  app::AudioPull audio_pull_;
  int audio_channels_ = 2;
  bool first_frame_done_ = false;
  bool activity_ = true;
  std::string title_;
  std::string paste_text_;
};

}  // namespace harmonic::web
