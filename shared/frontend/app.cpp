#include "frontend/app.hpp"

#include <algorithm>
#include <cmath>

#include "imgui.h"
#include "imgui_internal.h"  // the active text field's characters (update_fonts)
#include "backends/imgui_impl_opengl3.h"
#include "params/schema.hpp"
#include "sim/world.hpp"
#include "frontend/client_status.hpp"
#include "frontend/clock.hpp"
#include "universe/settings_from_parameters.hpp"
#include "ui/debug_log.hpp"
#include "ui/gl.hpp"
#include "ui/quality_view.hpp"
#include "ui/layout_status.hpp"
#include "ui/notices.hpp"
#include "ui/shown_text.hpp"

namespace harmonic::frontend {

using nlohmann::json;

namespace {

constexpr const char* kTokenKey = "harmonic.token";
constexpr const char* kQualityKey = "harmonic.quality";  // the pinned rendering quality (auto / high / low)

std::uint64_t seed_for(const json& universe, const std::string& id) {
  auto it = universe.find("seed");
  if (it != universe.end()) {
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    if (it->is_number_integer()) return std::uint64_t(it->get<std::int64_t>());
    if (it->is_string()) {
      try {
        return std::stoull(it->get<std::string>());
      } catch (...) {
      }
    }
  }
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : id) h = (h ^ c) * 1099511628211ull;
  return h;
}

void hex_to_rgb(const json& value, float out[3]) {
  if (!value.is_string()) return;
  const std::string s = value.get<std::string>();
  if (s.size() != 7 || s[0] != '#') return;
  for (int i = 0; i < 3; ++i) out[i] = float(std::stoi(s.substr(std::size_t(1 + i * 2), 2), nullptr, 16)) / 255.0f;
}

// Whether the open universe is what runs and sounds: it stays shown through a
// reconnection (joined drops, the parameters stay).
bool showing_universe(const client::ClientState& state) {
  return !state.universe_id.empty() && (state.joined || !state.parameters.empty());
}

float number_or(const json& object, const char* name, float fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(name);
  return (it != object.end() && it->is_number()) ? it->get<float>() : fallback;
}

}  // namespace

App::App(Platform platform) : platform_(std::move(platform)), sound_(48000) {
  start_ms_ = monotonic_ms();
  const StartupOptions& options = platform_.startup;

  client::ClientConfig config;
  config.origin = options.server_origin;
  config.reconnect = client::ReconnectPolicy{5, 1000, 5000, 2, 0.5};
  client_ = std::make_unique<client::Client>(config, platform_.http, platform_.websockets);
  client_->state().debug_level = options.debug_level;
  client_->on_token_changed = [this](const std::string& token) {
    if (token.empty()) platform_.settings.remove(kTokenKey);
    else platform_.settings.save(kTokenKey, token);
  };
  client_->on_universe_changed = [this](const std::string& id) {
    platform_.location.set(id.empty() ? std::string() : "universe=" + id);
    view_.camera.reset();
  };

  // A saved value this version does not know (edited by hand, or from a newer one) leaves auto.
  if (auto mode = ui::parse_quality_mode(platform_.settings.load(kQualityKey).value_or(""))) {
    visualizer_.quality().set_mode(*mode);
  }

  pending_universe_ = options.universe_id;
  std::string token = options.token;
  if (token.empty()) token = platform_.settings.load(kTokenKey).value_or("");
  if (!pending_universe_.empty()) platform_.location.set("universe=" + pending_universe_);
  else platform_.location.set("");  // drops a handed-over token from the address bar
  if (!token.empty()) client_->sign_in_with_token(token);
}

App::~App() {
  if (graphics_ready_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext();
  }
}

void App::init_graphics() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  ui::apply_theme(platform_.window.dpi_scale());
  ImGui_ImplOpenGL3_Init(HARMONIC_IMGUI_GLSL_VERSION);  // its buffer holds only the #version line
  if (!visualizer_.init()) {
    client_->state().notify(client::NoticeLevel::error, "Graphics", "Shaders failed: " + visualizer_.error(),
                            wall_clock_ms(), 1e9);
  }
  graphics_ready_ = true;
}

void App::update_world(const json& parameters, double dt_s) {
  const auto& state = client_->state();
  const bool in_universe = showing_universe(state);
  const std::string key = in_universe ? state.universe_id : std::string();
  const std::string physics_name(params::table::physics_name);
  json physics = in_universe ? parameters.value(physics_name, json::object()) : params::default_values(physics_name);
  sim::PhysicsSettings settings = universe::physics_from_parameters(physics);
  if (!in_universe) {
    // The backdrop behind the sign-in page and the list: calm and light.
    settings.particle_count = 700;
    settings.gravity = 2.5;
    settings.field_strength = 3;
  }
  if (!world_ || key != world_key_) {
    const auto seed = in_universe ? seed_for(state.universe, key) : 7;
    world_ = std::make_unique<sim::World>(seed, settings);
    sound_.set_seed(seed);
    world_key_ = key;
    visualizer_.clear_trails();
    step_accumulator_ = 0;
  } else if (!(world_->settings() == sim::clamped(settings))) {
    world_->set_settings(settings);
  }
  // Real time: one step per 1/60 s, at most 3 per frame so a slow machine slows the
  // universe down instead of freezing the page.
  step_accumulator_ = std::min(step_accumulator_ + dt_s, 3.0 * sim::World::kStepSeconds);
  while (step_accumulator_ >= sim::World::kStepSeconds * 0.999) {
    world_->step();
    step_accumulator_ -= sim::World::kStepSeconds;
  }
  auto events = world_->drain_events();
  if (in_universe && platform_.audio.running()) sound_.on_events(events, world_->world_size());
}

ui::VisualStyle App::style_from(const json& parameters, double time_s) const {
  ui::VisualStyle style;
  const std::string viz_name(params::table::visualization_name), music_name(params::table::music_name);
  const json viz = parameters.value(viz_name, params::default_values(viz_name));
  const json music = parameters.value(music_name, params::default_values(music_name));
  // A value the universe lacks falls back to the schema default (docs/parameters.md).
  const auto row = [](std::string_view category, const char* name) { return params::find_parameter(category, name); };
  const auto viz_number = [&](const char* name) {
    return number_or(viz, name, static_cast<float>(row(params::table::visualization_name, name)->default_number));
  };
  const auto viz_text = [&](const char* name) {
    return viz.value(name, json(std::string(row(params::table::visualization_name, name)->default_text)));
  };
  const auto& schemes = row(params::table::visualization_name, "color_scheme")->choices;
  const json scheme = viz_text("color_scheme");
  for (std::size_t i = 0; i < schemes.size(); ++i) {
    if (scheme == std::string(schemes[i])) style.color_scheme = static_cast<int>(i);
  }
  hex_to_rgb(viz_text("background_color"), style.background);
  hex_to_rgb(viz_text("particle_color"), style.particle_color);
  hex_to_rgb(viz_text("glow_color"), style.glow_color);
  style.particle_size = viz_number("particle_size");
  style.glow_intensity = viz_number("glow_intensity");
  style.trail_length = viz_number("trail_length");
  style.brightness = viz_number("brightness");
  style.saturation = viz_number("saturation");
  style.camera_zoom = viz_number("camera_zoom");
  style.camera_rotation = viz_number("camera_rotation");
  style.key_hue = key_hue(music.value("key", std::string(row(params::table::music_name, "key")->default_text)));
  const double tempo = number_or(music, "tempo", static_cast<float>(row(params::table::music_name, "tempo")->default_number));
  const double beats = time_s * tempo / 60.0;
  const float phase = float(beats - std::floor(beats));
  style.pulse = std::exp(-phase * 7.0f);
  style.loudness = platform_.audio.running() ? sound_.loudness() : 0.0f;
  return style;
}

void App::wake() { pacer_.wake(monotonic_ms()); }

void App::update_fonts(float dpi) {
  const auto in_atlas = [this](char32_t c) {
    return fonts_.regular != nullptr && fonts_.regular->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
  };
  FallbackFont& fallback = platform_.fallback_font;
  bool rebuild = dpi != fonts_dpi_;  // the pixel density changed (the window moved to another screen)
  if (!rebuild) {
    // The text about to be shown: the model's, and what is being typed (the active
    // field, and the characters typed since the last frame, not in it yet).
    ui::for_each_shown_text(client_->state(), [&](std::string_view text) { glyphs_.note_text(text, in_atlas); });
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.InputTextState.ID != 0) {
      for (int i = 0; i < g.InputTextState.CurLenW; ++i) glyphs_.note_codepoint(g.InputTextState.TextW[i], in_atlas);
    }
    for (const ImWchar c : ImGui::GetIO().InputQueueCharacters) glyphs_.note_codepoint(c, in_atlas);
    if (glyphs_.wants_fallback_font()) fallback.request();
    if (fallback.state() == FallbackFont::State::unavailable) glyphs_.give_up_fallback();
    rebuild = glyphs_.rebuild_wanted(fallback.state() == FallbackFont::State::ready);
  }
  if (!rebuild) return;
  // Rebuilt between frames, with the characters shown so far that the base ranges lack
  // (ui/glyph_needs.hpp); the renderer uploads the new texture.
  const double started_ms = monotonic_ms();
  const bool fallback_ready = fallback.state() == FallbackFont::State::ready;
  static const std::string no_font;
  fonts_ = ui::load_fonts(platform_.fonts.regular, platform_.fonts.bold, dpi, glyphs_.fallback_codepoints(),
                          fallback_ready ? fallback.bytes() : no_font);
  glyphs_.built(in_atlas, fallback_ready || fallback.state() == FallbackFont::State::unavailable);
  if (fonts_dpi_ != 0) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  fonts_dpi_ = dpi;
  ++atlas_builds_;
  atlas_build_ms_ = monotonic_ms() - started_ms;  // the frame this costs: what a new character costs
}

ui::Display App::begin_ui_frame(float dpi, bool drawn) {
  platform_.window.new_frame();
  const ui::Display display{ImGui::GetIO().DisplaySize.x, ImGui::GetIO().DisplaySize.y, dpi,
                            (ImGui::GetIO().ConfigFlags & ImGuiConfigFlags_IsTouchScreen) != 0,
                            platform_.input.keyboard_inset()};
  ui::set_font_scale(ui::font_scale(display), dpi);
  if (drawn) ImGui_ImplOpenGL3_NewFrame();  // the renderer's objects (the font atlas) before NewFrame
  ImGui::NewFrame();
  return display;
}

void App::build_screens(const ui::Display& display, double now_wall) {
  auto& state = client_->state();
  view_.widgets.clear();
  const ui::QualityMode quality_mode = visualizer_.quality().mode();
  ui::Frame f{state, *client_, *this, view_, audio_view_, fonts_, now_wall, display.width, display.height, float(fps_),
              world_->particles().size(), display.pixel_ratio, display.touch, &visualizer_.quality(),
              display.keyboard_inset};
  // Outside a universe only the mode, text size and hit targets apply; the universe
  // screen replaces this with its panels.
  view_.layout_shown = ui::PanelsShown{false, false, false, view_.sheet, false};
  view_.layout = ui::universe_layout(display, view_.layout_shown);
  view_.layout.canvas = ui::Rect{0, 0, display.width, display.height};  // no bars outside a universe
  if (!state.user) {
    ui::draw_sign_in_screen(f);
    platform_.window.set_title("Harmonic Universe");
  } else if (state.universe_id.empty()) {
    ui::draw_universe_list_screen(f);
    platform_.window.set_title("Harmonic Universe · " + state.user->username);
  } else {
    ui::draw_universe_screen(f);
    platform_.window.set_title(state.universe.value("name", std::string("Universe")) + " · Harmonic Universe");
  }
  ui::draw_notices(f);
  ui::draw_debug_log(f);
  if (visualizer_.quality().mode() != quality_mode) {
    platform_.settings.save(kQualityKey, std::string(ui::quality_name(visualizer_.quality().mode())));
  }
}

void App::input_frame() {
  // Only between drawn frames of a screen that has its fonts (the first frame sets them up).
  if (!graphics_ready_ || client_->state().frames == 0) return;
  const float dpi = platform_.window.dpi_scale();
  if (dpi != fonts_dpi_) return;  // the next drawn frame reloads the fonts first
  const ui::Display display = begin_ui_frame(dpi, false);
  build_screens(display, wall_clock_ms());
  ImGui::EndFrame();  // nothing drawn: the next animation frame draws the result
}

double App::frame() {
  if (!graphics_ready_) init_graphics();
  const double now_mono = monotonic_ms();
  const double now_wall = wall_clock_ms();
  const double dt_s = last_frame_ms_ > 0 ? std::clamp((now_mono - last_frame_ms_) / 1000.0, 0.0, 0.25) : 1.0 / 60;
  last_frame_ms_ = now_mono;
  // The frame rate is the rate of continuous frames; an idle screen's heartbeat is not one.
  if (dt_s > 0 && pacer_.continuous()) fps_ = fps_ <= 0 ? 1.0 / dt_s : fps_ * 0.95 + (1.0 / dt_s) * 0.05;

  // Client: network, presence.
  if (platform_.input.take_activity()) client_->note_activity(now_wall);
  client_->set_page_visible(platform_.window.visible());
  client_->update(now_wall);
  auto& state = client_->state();
  // After the network's events, before ImGui's frame: this frame's text gets its glyphs.
  const float dpi = platform_.window.dpi_scale();
  update_fonts(dpi);
  if (state.user && !pending_universe_.empty() && state.universe_id.empty()) {
    client_->open_universe(pending_universe_);
    pending_universe_.clear();
  }

  const json parameters = client_->effective_parameters();
  const bool in_universe = showing_universe(state);
  if (in_universe) {
    sound_.set_parameters(parameters.value(std::string(params::table::music_name), json::object()),
                          parameters.value(std::string(params::table::audio_name), json::object()));
  }

  const double time_s = (now_mono - start_ms_) / 1000.0;
  const double sim_start = monotonic_ms();
  // The backdrop behind the sign-in and list screens holds still between an idle
  // screen's heartbeat frames (docs/latency.md, "Frames on demand").
  update_world(parameters, pacer_.continuous() ? dt_s : 0.0);
  sim_ms_ = sim_ms_ * 0.9 + (monotonic_ms() - sim_start) * 0.1;

  const ui::Display display = begin_ui_frame(dpi, true);
  const ImGuiIO& io = ImGui::GetIO();

  // The universe behind everything.
  const int fb_w = platform_.window.framebuffer_width(), fb_h = platform_.window.framebuffer_height();
  ui::VisualStyle style = style_from(in_universe ? parameters : json::object(), time_s);
  auto& camera = view_.camera;
  camera.world_width = world_->world_size().width;
  camera.world_height = world_->world_size().height;
  camera.param_zoom = style.camera_zoom;
  camera.rotation_deg = style.camera_rotation;
  // In the compact layout the world is fitted into the canvas the sheet and bars leave
  // (last frame's layout: the panels are drawn after the universe); the wide layout's
  // translucent panels float over a world fitted to the whole window.
  const bool fit_to_canvas = in_universe && view_.layout.mode == ui::LayoutMode::compact;
  const ui::Rect canvas = fit_to_canvas && ui::visible(view_.layout.canvas)
                              ? view_.layout.canvas
                              : ui::Rect{0, 0, io.DisplaySize.x, io.DisplaySize.y};
  camera.view_x = canvas.x;
  camera.view_y = canvas.y;
  camera.view_width = canvas.w;
  camera.view_height = canvas.h;
  if (!in_universe) camera.reset();
  // The visualizer draws the world point `center` at the window's middle; hand it the
  // point the camera shows there, so particles, cursors and the frame agree.
  ui::Camera render_camera = camera;
  camera.to_world(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f, render_camera.center_x, render_camera.center_y);
  glViewport(0, 0, fb_w, fb_h);
  visualizer_.render(*world_, style, render_camera, fb_w, fb_h, dpi, time_s, dt_s);

  // Audio view for the panel.
  audio_view_.running = platform_.audio.running();
  const auto& tempo = params::row(params::table::music_name, "tempo");
  const json music = parameters.value(std::string(params::table::music_name), json::object());
  audio_view_.beat_phase =
      float(std::fmod(time_s * number_or(music, "tempo", static_cast<float>(tempo.default_number)) / 60.0, 1.0));
  audio_view_.loudness = sound_.loudness();
  audio_view_.now_playing = sound_.description();
  if (audio_view_.running) {
    sound_.waveform(audio_view_.waveform);
    if (state.frames % 3 == 0) sound_.spectrum(audio_view_.spectrum);
  } else {
    audio_view_.waveform.assign(64, 0.0f);
    audio_view_.spectrum.assign(24, 0.0f);
  }

  build_screens(display, now_wall);

  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  cpu_ms_ = cpu_ms_ * 0.9 + (monotonic_ms() - now_mono) * 0.1;
  platform_.window.end_frame();
  if (state.frames == 0) first_frame_ms_ = now_mono;
  ++state.frames;
  // What animates: the open universe's simulation and the sound panel's meters. Other
  // screens change only on input or an incoming event, which wake the loop.
  // The frame's start decides: one woken within the settle time is no idle frame, however
  // long it took to draw.
  // A new screen (the first, sign-in, list, universe) settles at full rate: ImGui places
  // auto-sized and centred windows over a few frames, and what they show is what input
  // and status() refer to.
  const int screen = !state.user ? 0 : state.universe_id.empty() ? 1 : 2;
  if (screen != shown_screen_) pacer_.wake(now_mono);
  shown_screen_ = screen;
  pacer_.frame_drawn(now_mono, in_universe || audio_view_.running);
  return pacer_.delay_ms();
}

std::string App::status_json() const {
  json status = client_status_json(client_->state());
  // Values as the page shows them (including the person's own unsent edits).
  json widgets = json::object();
  for (const auto& [name, r] : view_.widgets) widgets[name] = {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}};
  status["ui"] = {{"widgets", widgets},
                  {"layout", ui::layout_status(view_.layout, view_.layout_shown)},
                  {"fps", fps_},
                  {"particles", world_ ? world_->particles().size() : 0},
                  {"audio", platform_.audio.running()},
                  {"audio_available", audio_view_.available},
                  {"first_frame_ms", first_frame_ms_},
                  {"sim_ms", sim_ms_},
                  {"cpu_ms", cpu_ms_},
                  {"quality", ui::quality_status_json(visualizer_.quality())},
                  {"glyphs", glyphs_status()},
                  {"frames_drawn", pacer_.frames()},
                  {"frames_idle", pacer_.idle_frames()},
                  {"continuous", pacer_.continuous()},
                  {"camera", {{"zoom", view_.camera.zoom()}, {"x", view_.camera.center_x}, {"y", view_.camera.center_y}}}};
  return status.dump();
}

json App::glyphs_status() const {
  const char* fallback = "not_requested";
  switch (platform_.fallback_font.state()) {
    case FallbackFont::State::not_requested: break;
    case FallbackFont::State::loading: fallback = "loading"; break;
    case FallbackFont::State::ready: fallback = "ready"; break;
    case FallbackFont::State::unavailable: fallback = "unavailable"; break;
  }
  return {{"missing", glyphs_.missing()}, {"fallback_font", fallback}, {"atlas_builds", atlas_builds_},
          {"last_build_ms", atlas_build_ms_}};
}

// [ui::Actions] --------------------------------------------------------------------

void App::sign_out() {
  pending_universe_.clear();
  client_->sign_out();
  view_ = ui::ViewState{};
}
void App::copy_link(const std::string& universe_id) {
  const std::string link = platform_.location.universe_link(universe_id);
  ImGui::SetClipboardText(link.c_str());  // the platform's input owns ImGui's clipboard hooks
  client_->state().notify(client::NoticeLevel::success, "Link copied", link, wall_clock_ms(), 3000);
}
void App::start_audio() {
  audio_view_.available = platform_.audio.start(
      sound_.sample_rate(), 2, [this](float* out, int frames, int channels) { render_audio(out, frames, channels); });
  if (!audio_view_.available) {
    client_->state().notify(client::NoticeLevel::error, "Sound", "Audio is unavailable: no sound output could be opened.",
                            wall_clock_ms());
  }
}
void App::stop_audio() { platform_.audio.stop(); }

}  // namespace harmonic::frontend
