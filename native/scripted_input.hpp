// Scripted input (--script FILE) for tests and support: timed steps that move, press
// and type through ImGui's input, exactly where a person's mouse and keyboard events
// arrive, so the same widgets run as in real use. Widgets are found by the names the
// UI records (status "ui.widgets", e.g. "param.physics.gravity").
//
// The file is JSON lines (or one JSON array) of steps, run in order; a step starts
// no earlier than its optional "at_frame" / "at_ms" (since start):
//   {"action":"wait_widget","widget":"param.physics.gravity","timeout_ms":15000}
//   {"action":"wait_status","key":"joined","equals":true}
//   {"action":"wait_ms","ms":500}            {"action":"wait_frames","frames":10}
//   {"action":"move","x":600,"y":400}        (window points)
//   {"action":"click","widget":"tab.chat"}   or "x"/"y"; optional "fx"/"fy" in the rect
//   {"action":"drag_slider","widget":"param.physics.gravity","fraction":0.9}
//   {"action":"drag_slider","category":"physics","name":"gravity","to":15.0}
//   {"action":"type","text":"Hello"}         {"action":"key","key":"enter"}
//   {"action":"screenshot","file":"out.png"} {"action":"quit"}
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

struct ImGuiIO;

namespace harmonic::native {

class ScriptedInput {
 public:
  using StatusFn = std::function<nlohmann::json()>;

  static std::optional<ScriptedInput> load(const std::string& path, std::string* error);
  static std::optional<ScriptedInput> parse(const std::string& text, std::string* error);

  // Once per frame, after the platform read the devices and before ImGui::NewFrame.
  void apply(ImGuiIO& io, long long frame, double elapsed_ms, const StatusFn& status);

  bool finished() const { return next_ >= steps_.size() && plan_.empty(); }
  const std::string& failure() const { return failure_; }
  std::size_t step_index() const { return next_; }
  nlohmann::json progress() const;

  std::function<void(const std::string& file)> on_screenshot;
  std::function<void()> on_quit;
  std::function<void()> on_failure;  // a step failed (the rest is skipped)

 private:
  // One frame of synthetic input.
  struct Tick {
    float x = 0, y = 0;
    bool down = false;
    std::string chars;
    int key = -1;  // held this tick (GLFW key code)
  };

  bool start_step(const nlohmann::json& step, const nlohmann::json& status, std::string* error);
  bool wait_done(const nlohmann::json& status, long long frame, double elapsed_ms);
  void fail(const std::string& message);

  std::vector<nlohmann::json> steps_;
  std::size_t next_ = 0;
  std::vector<Tick> plan_;  // the current step's remaining ticks
  nlohmann::json waiting_;  // the current wait step, or null
  long long wait_start_frame_ = 0;
  double wait_start_ms_ = 0;
  float x_ = -1, y_ = -1;   // where the pointer is (-1: outside the window)
  bool down_ = false;
  int held_key_ = -1;
  std::optional<std::array<float, 4>> last_rect_;  // wait_widget: the rect last frame
  int stable_frames_ = 0;
  std::string failure_;
};

}  // namespace harmonic::native
