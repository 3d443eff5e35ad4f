// The whole client, on any platform: ties the client logic (shared/client), the
// simulation, the sound, the visualizer and the ImGui screens together over what the
// platform gives (platform.hpp).
//
//   App app(Platform{window, input, http, websockets, audio, settings, location, startup, fonts});
//   window.run([&] { return app.frame(); });   // the platform calls app.wake() on input and network events
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "frontend/frame_pacer.hpp"
#include "frontend/platform.hpp"
#include "frontend/sound.hpp"
#include "client/client.hpp"
#include "ui/glyph_needs.hpp"
#include "ui/theme.hpp"
#include "ui/view.hpp"
#include "ui/visualizer.hpp"

namespace harmonic::sim {
class World;
}

namespace harmonic::frontend {

class App final : public ui::Actions {
 public:
  explicit App(Platform platform);
  ~App() override;

  // Draws one frame; returns how long the loop may wait for the next one (ms, 0: the
  // next display frame), from the frame pacer (frame_pacer.hpp).
  double frame();
  // Input or an incoming event arrived: frames at full rate for a while.
  void wake();
  // Runs the screens' logic for input that just arrived, without drawing: the widget
  // under a click acts now (an edit is sent from the input handler), not in the next
  // animation frame, which is a whole software-GL frame away (docs/latency.md). The next
  // frame() draws the result. Does nothing before the first frame.
  void input_frame();
  // The object behind window.harmonic.status() (JSON text).
  std::string status_json() const;
  // Audio callback target.
  void render_audio(float* out, int frames, int channels) { sound_.render(out, frames, channels); }

  // [ui::Actions] what needs the platform or the App's own memory.
  void sign_out() override;
  void copy_link(const std::string& universe_id) override;
  void start_audio() override;
  void stop_audio() override;

 private:
  void init_graphics();
  // Builds the font atlas at the first frame, on a change of pixel density, and when the
  // text shown needs characters it lacks (ui/glyph_needs.hpp); between frames.
  void update_fonts(float dpi);
  nlohmann::json glyphs_status() const;
  // ImGui's new frame over the platform's (input, size); `drawn`: frame() renders it.
  ui::Display begin_ui_frame(float dpi, bool drawn);
  // The screen's widgets (sign-in, list or universe), notices and the debug log.
  void build_screens(const ui::Display& display, double now_wall);
  void update_world(const nlohmann::json& parameters, double dt_s);
  ui::VisualStyle style_from(const nlohmann::json& parameters, double time_s) const;

  Platform platform_;
  std::unique_ptr<client::Client> client_;
  std::unique_ptr<sim::World> world_;
  std::string world_key_;  // which universe the world belongs to ("" = the backdrop)
  SoundEngine sound_;
  ui::Visualizer visualizer_;
  ui::ViewState view_;
  ui::Fonts fonts_;
  ui::GlyphNeeds glyphs_;
  int atlas_builds_ = 0;
  double atlas_build_ms_ = 0;  // the last build's time, texture upload included (after the first)
  ui::AudioView audio_view_;
  float fonts_dpi_ = 0;
  bool graphics_ready_ = false;
  double start_ms_ = 0;
  double last_frame_ms_ = 0;
  double step_accumulator_ = 0;
  double fps_ = 0;
  double first_frame_ms_ = 0;
  double sim_ms_ = 0;    // smoothed CPU time of the simulation per frame
  double cpu_ms_ = 0;    // smoothed CPU time of the whole frame (before the GPU)  // monotonic time of the first rendered frame
  std::string pending_universe_;  // from the URL, opened after sign-in
  FramePacer pacer_;
  int shown_screen_ = -1;  // 0 sign-in, 1 universe list, 2 universe; -1 before the first frame
};

}  // namespace harmonic::frontend
