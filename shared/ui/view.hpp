// What every screen and panel receives. Panels are plain functions over the client's
// state (read-only) that report what the person did to the client (its action methods)
// or, for what needs the platform, through `Actions`; they hold no network, simulation
// or GL objects. `ViewState` is the UI's own memory between
// frames (text being typed, which tab is open, the camera).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/client.hpp"
#include "client/client_state.hpp"
#include "ui/camera.hpp"
#include "ui/layout.hpp"

struct ImFont;

namespace harmonic::ui {

class QualityController;

// What only the App can do: it reaches the platform (the clipboard, the sound output)
// or the App's own memory (signing out forgets the view and a universe waiting in the
// address). Everything else a panel asks of the client directly (Frame::client): the
// client's actions are already the UI's verbs, and a layer repeating them added nothing.
class Actions {
 public:
  virtual ~Actions() = default;
  virtual void sign_out() = 0;
  virtual void copy_link(const std::string& universe_id) = 0;
  virtual void start_audio() = 0;
  virtual void stop_audio() = 0;
};

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* small = nullptr;
  ImFont* large = nullptr;
  ImFont* title = nullptr;
};

struct AudioView {
  bool available = true;
  bool running = false;
  float loudness = 0;     // 0..1
  float beat_phase = 0;   // 0..1 within the current beat
  std::vector<float> waveform;  // the latest samples, -1..1
  std::vector<float> spectrum;  // magnitude per band, 0..1
  std::string now_playing;      // e.g. "C major · 120 BPM"
};

struct ViewState {
  // Sign-in
  std::array<char, 64> username{};
  std::array<char, 128> password{};
  bool register_mode = false;
  // Universe list
  std::array<char, 101> new_name{};
  std::array<char, 512> new_description{};
  bool new_public = false;
  std::string editing_id;  // rename / share dialog target
  std::array<char, 101> edit_name{};
  std::array<char, 512> edit_description{};
  std::array<char, 64> share_username{};
  std::string confirm_delete_id;
  // Universe
  bool show_parameters = true;
  bool show_side = true;
  bool show_audio = true;
  bool show_debug = false;
  int side_tab = 0;  // 0 chat, 1 people, 2 history
  int parameter_tab = 0;
  std::array<char, 2001> chat_input{};
  bool focus_chat = false;
  bool chat_at_bottom = true;
  std::string log_filter;
  // The compact layout's bottom sheet: which panel, and whether it is open.
  SheetTab sheet = SheetTab::parameters;
  bool sheet_open = true;
  // This frame's layout, for the status JSON (ui/layout_status.hpp).
  UniverseLayout layout;
  PanelsShown layout_shown;
  Camera camera;
  bool panning = false;
  bool canvas_hovered = false;  // the mouse is over the universe, not a panel
  bool cursor_shown = false;    // the others see our cursor (move_cursor since the pointer left)
  // Where named widgets are, in window points, for automation and tests.
  std::map<std::string, Rect> widgets;
  std::string last_universe_id;
};

struct Frame {
  const client::ClientState& state;
  client::Client& client;  // the person's actions on the account, the list and the universe
  Actions& actions;
  ViewState& view;
  const AudioView& audio;
  const Fonts& fonts;
  double now_ms = 0;       // wall clock, ms since the epoch
  float display_w = 1280;  // window points
  float display_h = 800;
  float fps = 0;
  std::size_t particle_count = 0;
  float pixel_ratio = 1;  // device pixels per point
  bool touch = false;     // ImGuiConfigFlags_IsTouchScreen, set by the platform's input
  QualityController* quality = nullptr;  // the visualizer's (ui/quality_view.hpp)
  float keyboard_inset = 0;  // points an on-screen keyboard covers at the bottom (ui/layout.hpp)

  Display display() const { return Display{display_w, display_h, pixel_ratio, touch, keyboard_inset}; }
};

// [Screens] the signed-out page and the universe list.
void draw_sign_in_screen(Frame& f);
void draw_universe_list_screen(Frame& f);
// [Universe] every panel of the open universe, and the overlays on the canvas. Each
// panel has its own file (top_bar, parameter_panel, side_panel, audio_panel, canvas);
// toasts (notices) and the debug event log (debug_log) are on every screen.
void draw_universe_screen(Frame& f);

// Remembers the last item's rectangle under `name` (see ViewState::widgets).
void record_widget(Frame& f, const std::string& name);

}  // namespace harmonic::ui
