// harmonic-desktop: the shared App over the GLFW backend, plus the command line and
// the tools tests and support use (--screenshot/--frames, --status-json, --script).
//
//   harmonic-desktop --server http://127.0.0.1:8080
//   harmonic-desktop --server URL --token T --universe ID
//   harmonic-desktop ... --status-json s.json --script steps.jsonl --screenshot out.png --frames 600
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "frontend/app.hpp"
#include "frontend/clock.hpp"
#include "imgui.h"
#include "native/alsa_audio_output.hpp"
#include "native/backend_glfw.hpp"
#include "native/beast_http_client.hpp"
#include "native/beast_websocket_transport.hpp"
#include "native/desktop_location.hpp"
#include "native/font_files.hpp"
#include "native/glfw_input.hpp"
#include "native/io_thread.hpp"
#include "native/scripted_input.hpp"
#include "native/settings_store.hpp"
#include "native/status_file.hpp"
#include "native/url.hpp"

namespace {

std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }

constexpr const char* kDefaultServer = "http://127.0.0.1:8080";

}  // namespace

int main(int argc, char** argv) {
  using namespace harmonic;
  using nlohmann::json;

  CLI::App cli{"Harmonic Universe desktop client"};
  std::string server, token, universe, screenshot, status_path, script_path, config_path, ca_file;
  int debug = 0, width = 0, height = 0;
  long long frames = 0;
  double max_fps = 60;
  double status_interval_ms = 200;
  std::string audio_device = "default";
  cli.add_option("--server", server, "harmonic-server origin, e.g. http://127.0.0.1:8080 (remembered)");
  cli.add_option("--token", token, "sign in with this token instead of the sign-in window");
  cli.add_option("--universe", universe, "open this universe directly");
  cli.add_option("--debug", debug, "debug level 0-3: shows the event log")->check(CLI::Range(0, 3));
  cli.add_option("--screenshot", screenshot, "write the window to this PNG after --frames frames, then exit");
  cli.add_option("--frames", frames, "render this many frames, then exit (default 60 with --screenshot)")
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--status-json", status_path, "keep this file updated with the client's status object");
  cli.add_option("--status-interval-ms", status_interval_ms,
                 "rewrite the status file at most this often (0: after every frame, for latency measurements)")
      ->check(CLI::Range(0.0, 60000.0));
  cli.add_option("--script", script_path, "scripted input: JSON lines of timed steps (see native/scripted_input.hpp)");
  cli.add_option("--width", width, "window width in points (remembered)")->check(CLI::Range(640, 16384));
  cli.add_option("--height", height, "window height in points (remembered)")->check(CLI::Range(480, 16384));
  cli.add_option("--config", config_path, "settings file (default: $XDG_CONFIG_HOME/harmonic-universe/settings.json)");
  cli.add_option("--ca-file", ca_file, "extra trusted certificates (PEM) for https:// servers");
  cli.add_option("--max-fps", max_fps, "frame rate cap")->check(CLI::Range(1.0, 1000.0));
  cli.add_option("--audio-device", audio_device, "ALSA output device (default: default; null: silent)");
  CLI11_PARSE(cli, argc, argv);

  native::SettingsStore settings(config_path);

  // The server: the command line, else the last one used, else the local default.
  if (server.empty()) {
    auto saved = settings.get("server");
    server = saved && saved->is_string() ? saved->get<std::string>() : kDefaultServer;
  }
  while (!server.empty() && server.back() == '/') server.pop_back();
  const auto url = native::parse_url(server);
  if (!url || (url->scheme != "http" && url->scheme != "https") || url->target != "/") {
    std::fprintf(stderr, "harmonic-desktop: --server must be an http:// or https:// origin, got \"%s\"\n",
                 server.c_str());
    return 2;
  }
  settings.set("server", server);

  frontend::StartupOptions startup;
  startup.server_origin = server;
  startup.token = token;
  startup.universe_id = universe;
  startup.debug_level = debug;
  // Nothing asked for: pick up where the person left off on this server.
  if (token.empty() && universe.empty()) {
    startup.universe_id = settings.get_for_server(server, "last_universe").value_or("");
  }

  native::WindowOptions window;
  auto saved_w = settings.get("window_width"), saved_h = settings.get("window_height");
  window.width = width > 0 ? width : (saved_w && saved_w->is_number_integer() ? saved_w->get<int>() : 1280);
  window.height = height > 0 ? height : (saved_h && saved_h->is_number_integer() ? saved_h->get<int>() : 800);
  window.max_fps = max_fps;
  window.on_demand = frames == 0 && screenshot.empty();  // a fixed frame count runs at full rate

  std::optional<native::ScriptedInput> script;
  if (!script_path.empty()) {
    std::string error;
    script = native::ScriptedInput::load(script_path, &error);
    if (!script) {
      std::fprintf(stderr, "harmonic-desktop: %s\n", error.c_str());
      return 2;
    }
  }
  if (!screenshot.empty() && frames == 0 && !script) frames = 60;

  native::TlsOptions tls;
  tls.ca_file = ca_file;
  // Declared in the order they may be destroyed in reverse: the App first (its
  // transports close), then the window, then the network thread, which outlives
  // every transport and HTTP request it made.
  native::IoThread io(std::move(tls));
  io.ui().set_wake(&native::BackendGlfw::wake_from_any_thread);  // frames on demand (docs/latency.md)
  native::BeastHttpClient http(io);
  native::AlsaAudioOutput audio(audio_device);
  native::ServerSettings server_settings(settings, server);
  native::DesktopLocation location(settings, server);
  native::GlfwInput input;
  native::BackendGlfw backend(settings, window, input);
  std::string error;
  if (!backend.create_window(&error)) {
    std::fprintf(stderr, "harmonic-desktop: %s\n", error.c_str());
    return 1;
  }
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  native::FileFallbackFont fallback_font;
  frontend::App app(frontend::Platform{backend, input, http, native::beast_websocket_factory(io), audio,
                                       server_settings, location, startup, native::read_font_files(),
                                       fallback_font});
  const double start_ms = frontend::monotonic_ms();
  int exit_code = 0;

  native::StatusFile status_file(status_path, status_interval_ms);
  // The status object plus the desktop's timing (docs/latency.md, "Measuring the desktop
  // client"), in wall-clock milliseconds so a benchmark can set them against a browser's
  // event times: when the frame just drawn was presented, when the parameters last
  // changed on screen (the end of the first written frame that showed them: exact with
  // --status-interval-ms 0), and how long the network thread's last handed-over event
  // waited for the UI thread.
  json shown_parameters;
  double parameters_changed_ms = 0;
  auto status_text = [&] {
    json status = json::parse(app.status_json());
    const double wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
    if (status["parameters"] != shown_parameters) {
      shown_parameters = status["parameters"];
      parameters_changed_ms = wall_ms;
    }
    status["desktop"] = {{"frame_end_ms", wall_ms},
                         {"parameters_changed_ms", parameters_changed_ms},
                         {"events_handed_over", io.ui().drains()},
                         {"last_event_wait_ms", io.ui().last_wait_ms()}};
    if (script) status["script"] = script->progress();
    return status.dump();
  };

  auto capture = [&](const std::string& file, bool then_quit) {
    backend.capture_next_frame(file, [&, file, then_quit](bool ok, const std::string& why) {
      if (!ok) {
        std::fprintf(stderr, "harmonic-desktop: screenshot %s failed: %s\n", file.c_str(), why.c_str());
        exit_code = 1;
      }
      if (then_quit) backend.request_quit();
    });
  };

  if (script) {
    script->on_screenshot = [&](const std::string& file) {
      const std::string target = file.empty() ? screenshot : file;
      if (target.empty()) {
        std::fprintf(stderr, "harmonic-desktop: script screenshot without a file or --screenshot\n");
        return;
      }
      capture(target, false);
    };
    // The script ends the program (quit, or a step failed): with --screenshot, the
    // window as it was then is the picture.
    auto finish = [&] {
      if (screenshot.empty()) backend.request_quit();
      else capture(screenshot, true);
    };
    script->on_quit = finish;
    script->on_failure = finish;
    input.input_override = [&](ImGuiIO& imgui_io) {
      script->apply(imgui_io, backend.frames_presented(), frontend::monotonic_ms() - start_ms,
                    [&] { return json::parse(app.status_json()); });
    };
  }

  // --frames N: the Nth frame is the last (and the screenshot, if asked for).
  if (frames == 1 && !screenshot.empty()) capture(screenshot, true);
  backend.after_frame = [&] {
    const long long done = backend.frames_presented();
    if (frames > 0 && done + 1 == frames && !screenshot.empty()) capture(screenshot, true);
    if (frames > 0 && done >= frames) backend.request_quit();
    if (g_stop) backend.request_quit();
    const double now = frontend::monotonic_ms();
    if (status_file.due(now)) status_file.write(status_text(), now);
  };

  input.on_input = [&] { app.wake(); };
  backend.run([&] {
    if (io.ui().drain() > 0) app.wake();  // network results, on this thread, before the client looks
    return app.frame();
  });
  // The audio thread pulls from the App, which goes when main() returns.
  audio.stop();

  status_file.write(status_text(), frontend::monotonic_ms());
  if (script && !script->failure().empty()) {
    std::fprintf(stderr, "harmonic-desktop: script failed: %s\n", script->failure().c_str());
    if (exit_code == 0) exit_code = 3;
  }
  return exit_code;
}
