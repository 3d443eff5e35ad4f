// What a platform gives the App (Tracy's Backend split): a window with a GL context
// and a main loop, ImGui platform input, the network (WebSocket and HTTP), audio
// output, clipboard, persistent settings, clocks, and how the program was started.
// web/ implements it with Emscripten (canvas, WebSocket, fetch, WebAudio,
// localStorage); native/ will implement it with GLFW and sockets. Nothing else in the
// program knows which platform it runs on.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/transport.hpp"

namespace harmonic::app {

// How the program was started: from the page URL (web) or the command line (desktop).
struct StartupOptions {
  std::string server_origin;  // http://host:port of harmonic-server
  std::string token;          // a token handed over by another tool (#token=...)
  std::string universe_id;    // open this universe directly (#universe=...)
  int debug_level = 0;        // ?debug=1..3: show the event log
};

// Pulls interleaved float PCM (-1..1) from the App: `frames` frames of `channels`.
using AudioPull = std::function<void(float* out, int frames, int channels)>;

class Backend {
 public:
  virtual ~Backend() = default;

  // Runs `frame` once per display frame until the program ends (on the web this
  // returns at once and the browser calls `frame` from requestAnimationFrame).
  virtual void run(std::function<void()> frame) = 0;
  // Feeds ImGui its display size, pixel density, time step and input for this frame.
  virtual void new_frame() = 0;
  // Presents the frame (desktop: swap buffers; web: nothing, the browser does it).
  virtual void end_frame() = 0;

  virtual int framebuffer_width() const = 0;   // pixels
  virtual int framebuffer_height() const = 0;
  virtual float dpi_scale() const = 0;         // pixels per point (devicePixelRatio)

  virtual double monotonic_ms() const = 0;     // for frame timing
  virtual double wall_clock_ms() const = 0;    // ms since the epoch (matches server timestamps)

  virtual client::TransportFactory websocket_factory() = 0;
  virtual client::HttpClient& http() = 0;

  // Starts audio output at `sample_rate` (must be called from a user gesture on the
  // web); returns false if the platform has no audio.
  virtual bool start_audio(int sample_rate, int channels, AudioPull pull) = 0;
  virtual void stop_audio() = 0;
  virtual bool audio_running() const = 0;

  virtual void set_clipboard(const std::string& text) = 0;
  virtual std::optional<std::string> load_setting(const std::string& key) = 0;
  virtual void save_setting(const std::string& key, const std::string& value) = 0;
  virtual void remove_setting(const std::string& key) = 0;

  virtual StartupOptions startup_options() = 0;
  // Where the current view lives: "universe=ID" or "" (web: the URL fragment, without
  // the token; desktop: nothing).
  virtual void set_location(const std::string& fragment) = 0;
  // A link that opens `universe_id` directly (web: origin + "/#universe=ID").
  virtual std::string universe_link(const std::string& universe_id) = 0;
  virtual void set_title(const std::string& title) = 0;
  // Whether the page/window is visible (for presence "away").
  virtual bool visible() const = 0;
  // Whether there was keyboard or mouse input since the last call (presence).
  virtual bool take_input_activity() = 0;

  // Font files to try for the UI (regular, bold); empty for the built-in font.
  virtual std::string font_path(bool bold) const = 0;
};

}  // namespace harmonic::app
