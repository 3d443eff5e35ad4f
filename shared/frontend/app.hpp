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
  // The object behind window.harmonic.status() (JSON text).
  std::string status_json() const;
  // Audio callback target.
  void render_audio(float* out, int frames, int channels) { sound_.render(out, frames, channels); }

  // [ui::Actions]
  void sign_in(const std::string& username, const std::string& password) override;
  void register_user(const std::string& username, const std::string& password) override;
  void sign_out() override;
  void refresh_universes() override;
  void load_more_universes() override;
  void create_universe(const std::string& name, const std::string& description, bool is_public) override;
  void rename_universe(const std::string& id, const std::string& name, const std::string& description) override;
  void set_universe_public(const std::string& id, bool is_public) override;
  void delete_universe(const std::string& id) override;
  void add_collaborator(const std::string& id, const std::string& username) override;
  void load_collaborators(const std::string& id) override;
  void copy_link(const std::string& universe_id) override;
  void open_universe(const std::string& id) override;
  void leave_universe() override;
  nlohmann::json parameter(const std::string& category, const std::string& name) const override;
  void edit_parameter(const std::string& category, const std::string& name, const nlohmann::json& value) override;
  void choose_parameter(const std::string& category, const std::string& name, const nlohmann::json& value) override;
  void reset_category(const std::string& category) override;
  void send_chat(const std::string& message) override;
  void move_cursor(double world_x, double world_y) override;
  void hide_cursor() override;
  void mark_chat_read() override;
  void start_audio() override;
  void stop_audio() override;
  void retry_connection() override;
  void dismiss_notice(std::size_t index) override;

 private:
  void init_graphics();
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
