#include "native/scripted_input.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <sstream>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "imgui.h"
#include "params/schema.hpp"

namespace harmonic::native {

using nlohmann::json;

namespace {

int key_code(const std::string& name) {
  static const std::pair<const char*, int> keys[] = {
      {"enter", GLFW_KEY_ENTER},     {"tab", GLFW_KEY_TAB},       {"backspace", GLFW_KEY_BACKSPACE},
      {"escape", GLFW_KEY_ESCAPE},   {"delete", GLFW_KEY_DELETE}, {"left", GLFW_KEY_LEFT},
      {"right", GLFW_KEY_RIGHT},     {"up", GLFW_KEY_UP},         {"down", GLFW_KEY_DOWN},
      {"home", GLFW_KEY_HOME},       {"end", GLFW_KEY_END},       {"space", GLFW_KEY_SPACE},
  };
  for (const auto& [n, code] : keys) {
    if (name == n) return code;
  }
  return -1;
}

// The status value at a dotted path ("ui.audio", "parameters.physics.gravity").
json lookup(const json& status, const std::string& path) {
  const json* at = &status;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto dot = path.find('.', start);
    const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object() || !at->contains(part)) return nullptr;
    at = &(*at)[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return *at;
}

std::optional<std::array<float, 4>> widget_rect(const json& status, const std::string& name) {
  const json rect = lookup(status, "ui.widgets");
  if (!rect.is_object() || !rect.contains(name)) return std::nullopt;
  const json& r = rect[name];
  return std::array<float, 4>{r.value("x", 0.0f), r.value("y", 0.0f), r.value("w", 0.0f), r.value("h", 0.0f)};
}

// Where on a slider's frame a value sits, mirroring ImGui's SliderBehavior: the grab
// travels between the frame's ends less the padding and half the grab.
float slider_x(const std::array<float, 4>& r, double fraction, double integer_range) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float padding = 2.0f;
  const float size = r[2] - padding * 2;
  float grab = style.GrabMinSize;
  if (integer_range >= 0) grab = std::max(float(size / (integer_range + 1)), style.GrabMinSize);
  grab = std::min(grab, size);
  const float usable = size - grab;
  return r[0] + padding + grab * 0.5f + float(std::clamp(fraction, 0.0, 1.0)) * usable;
}

}  // namespace

std::optional<ScriptedInput> ScriptedInput::load(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    if (error) *error = "cannot read script " + path;
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), error);
}

std::optional<ScriptedInput> ScriptedInput::parse(const std::string& text, std::string* error) {
  ScriptedInput script;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '[') {
    json all = json::parse(text, nullptr, false);
    if (!all.is_array()) {
      if (error) *error = "script: not a JSON array";
      return std::nullopt;
    }
    for (auto& step : all) script.steps_.push_back(step);
  } else {
    std::istringstream lines(text);
    std::string line;
    int number = 0;
    while (std::getline(lines, line)) {
      ++number;
      const auto start = line.find_first_not_of(" \t\r");
      if (start == std::string::npos || line[start] == '#') continue;
      json step = json::parse(line, nullptr, false);
      if (!step.is_object()) {
        if (error) *error = "script line " + std::to_string(number) + ": not a JSON object";
        return std::nullopt;
      }
      script.steps_.push_back(std::move(step));
    }
  }
  for (std::size_t i = 0; i < script.steps_.size(); ++i) {
    if (!script.steps_[i].is_object() || !script.steps_[i].contains("action")) {
      if (error) *error = "script step " + std::to_string(i + 1) + ": no \"action\"";
      return std::nullopt;
    }
  }
  return script;
}

json ScriptedInput::progress() const {
  return {{"step", next_}, {"steps", steps_.size()}, {"finished", finished()}, {"failure", failure_}};
}

void ScriptedInput::fail(const std::string& message) {
  failure_ = "step " + std::to_string(next_) + ": " + message;
  std::fprintf(stderr, "harmonic-desktop: script %s\n", failure_.c_str());
  next_ = steps_.size();
  plan_.clear();
  waiting_ = nullptr;
  if (on_failure) on_failure();
}

bool ScriptedInput::wait_done(const json& status, long long frame, double elapsed_ms) {
  const std::string action = waiting_.value("action", "");
  const double timeout = waiting_.value("timeout_ms", 20000.0);
  if (action == "wait_ms") return elapsed_ms - wait_start_ms_ >= waiting_.value("ms", 0.0);
  if (action == "wait_frames") return frame - wait_start_frame_ >= waiting_.value("frames", 0LL);
  bool done = false;
  if (action == "wait_widget") {
    // On screen, and in the same place for a few frames: a window's first frames can
    // still move it (auto-size, centring), and a click there would miss.
    const auto rect = widget_rect(status, waiting_.value("widget", ""));
    if (rect && last_rect_ && *rect == *last_rect_) ++stable_frames_;
    else stable_frames_ = 0;
    last_rect_ = rect;
    done = stable_frames_ >= 3;
  } else if (action == "wait_status") {
    const json value = lookup(status, waiting_.value("key", ""));
    if (waiting_.contains("equals")) done = value == waiting_["equals"];
    else if (waiting_.contains("not_equals")) done = value != waiting_["not_equals"];
    else if (waiting_.contains("at_least")) done = value.is_number() && value.get<double>() >= waiting_["at_least"].get<double>();
    else done = !value.is_null() && value != false;
  }
  if (!done && elapsed_ms - wait_start_ms_ > timeout) {
    fail("timed out: " + waiting_.dump());
    return false;
  }
  return done;
}

bool ScriptedInput::start_step(const json& step, const json& status, std::string* error) {
  const std::string action = step.value("action", "");
  const int settle = step.value("frames_per_move", 2);
  auto tick = [](float x, float y, bool down) {
    Tick t;
    t.x = x;
    t.y = y;
    t.down = down;
    return t;
  };
  auto move_to = [&](float x, float y, bool down, int steps) {
    const float x0 = x_ < 0 ? x : x_, y0 = y_ < 0 ? y : y_;
    for (int i = 1; i <= steps; ++i) {
      const float t = float(i) / float(steps);
      for (int k = 0; k < settle; ++k) plan_.push_back(tick(x0 + (x - x0) * t, y0 + (y - y0) * t, down));
    }
  };
  auto hold = [&](float x, float y, bool down, int frames) {
    for (int i = 0; i < frames; ++i) plan_.push_back(tick(x, y, down));
  };
  auto target = [&](float& x, float& y) -> bool {
    if (step.contains("widget")) {
      const auto r = widget_rect(status, step["widget"].get<std::string>());
      if (!r) {
        *error = "no widget " + step["widget"].dump() + " on screen";
        return false;
      }
      x = (*r)[0] + (*r)[2] * step.value("fx", 0.5f);
      y = (*r)[1] + (*r)[3] * step.value("fy", 0.5f);
      return true;
    }
    if (!step.contains("x") || !step.contains("y")) {
      *error = "needs \"widget\" or \"x\" and \"y\"";
      return false;
    }
    x = step["x"].get<float>();
    y = step["y"].get<float>();
    return true;
  };

  if (action == "wait_ms" || action == "wait_frames" || action == "wait_widget" || action == "wait_status") {
    waiting_ = step;
    return true;
  }
  if (action == "move") {
    float x, y;
    if (!target(x, y)) return false;
    move_to(x, y, false, step.value("steps", 6));
    return true;
  }
  if (action == "click") {
    float x, y;
    if (!target(x, y)) return false;
    move_to(x, y, false, 3);
    hold(x, y, true, 3);   // held for a few frames, like a real click
    hold(x, y, false, 2);
    return true;
  }
  if (action == "drag_slider") {
    std::string widget = step.value("widget", "");
    const params::ParameterSpec* spec = nullptr;
    if (step.contains("category") && step.contains("name")) {
      const std::string category = step["category"].get<std::string>(), name = step["name"].get<std::string>();
      spec = params::find_parameter(category, name);
      if (widget.empty()) widget = "param." + category + "." + name;
    }
    const auto r = widget_rect(status, widget);
    if (!r) {
      *error = "no slider \"" + widget + "\" on screen";
      return false;
    }
    double fraction = step.value("fraction", 0.5);
    double integer_range = -1;
    if (spec) {
      if (spec->type == params::ValueType::integer) integer_range = spec->max - spec->min;
      if (step.contains("to")) {
        const double v = std::clamp(step["to"].get<double>(), spec->min, spec->max);
        const bool log = spec->logarithmic && spec->min > 0;
        fraction = log ? std::log(v / spec->min) / std::log(spec->max / spec->min) : (v - spec->min) / (spec->max - spec->min);
      }
    } else if (step.contains("to")) {
      *error = "\"to\" needs \"category\" and \"name\"";
      return false;
    }
    const float y = (*r)[1] + (*r)[3] * 0.5f;
    const float from = slider_x(*r, step.value("from_fraction", 0.5), integer_range);
    const float to = slider_x(*r, fraction, integer_range);
    move_to(from, y, false, 3);
    hold(from, y, true, 2);
    move_to(to, y, true, step.value("steps", 10));
    hold(to, y, true, 2);
    hold(to, y, false, 2);
    return true;
  }
  if (action == "type") {
    const std::string text = step.value("text", "");
    // One character per frame, as keys arrive; UTF-8 sequences stay whole.
    for (std::size_t i = 0; i < text.size();) {
      std::size_t n = 1;
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c >= 0xF0) n = 4;
      else if (c >= 0xE0) n = 3;
      else if (c >= 0xC0) n = 2;
      Tick t = tick(x_, y_, down_);
      t.chars = text.substr(i, n);
      plan_.push_back(t);
      i += n;
    }
    return true;
  }
  if (action == "key") {
    const int code = key_code(step.value("key", ""));
    if (code < 0) {
      *error = "unknown key " + step.value("key", "");
      return false;
    }
    Tick press = tick(x_, y_, down_);
    press.key = code;
    plan_.push_back(press);
    plan_.push_back(press);
    plan_.push_back(tick(x_, y_, down_));
    return true;
  }
  if (action == "screenshot") {
    if (on_screenshot) on_screenshot(step.value("file", ""));
    return true;
  }
  if (action == "quit") {
    if (on_quit) on_quit();
    return true;
  }
  *error = "unknown action \"" + action + "\"";
  return false;
}

void ScriptedInput::apply(ImGuiIO& io, long long frame, double elapsed_ms, const StatusFn& status) {
  // Keys held by the last tick are released unless this tick holds them again.
  if (held_key_ >= 0) {
    io.KeysDown[held_key_] = false;
    held_key_ = -1;
  }

  json current;
  bool have_status = false;
  auto get_status = [&]() -> const json& {
    if (!have_status) {
      current = status ? status() : json::object();
      have_status = true;
    }
    return current;
  };

  // Start steps until one produces input for this frame or has to wait.
  while (plan_.empty()) {
    if (!waiting_.is_null()) {
      if (!wait_done(get_status(), frame, elapsed_ms)) break;
      waiting_ = nullptr;
      ++next_;
      continue;
    }
    if (next_ >= steps_.size()) break;
    const json& step = steps_[next_];
    if (frame < step.value("at_frame", 0LL) || elapsed_ms < step.value("at_ms", 0.0)) break;
    wait_start_frame_ = frame;
    wait_start_ms_ = elapsed_ms;
    last_rect_.reset();
    stable_frames_ = 0;
    std::string error;
    if (!start_step(step, get_status(), &error)) {
      fail(error);
      break;
    }
    if (waiting_.is_null()) ++next_;
    if (next_ >= steps_.size() && plan_.empty()) break;
  }

  if (!plan_.empty()) {
    const Tick tick = plan_.front();
    plan_.erase(plan_.begin());
    x_ = tick.x;
    y_ = tick.y;
    down_ = tick.down;
    if (!tick.chars.empty()) io.AddInputCharactersUTF8(tick.chars.c_str());
    if (tick.key >= 0) {
      io.KeysDown[tick.key] = true;
      held_key_ = tick.key;
    }
  }
  // The script owns the pointer: the real one (wherever Xvfb put it) never interferes.
  io.MousePos = x_ < 0 ? ImVec2(-FLT_MAX, -FLT_MAX) : ImVec2(x_, y_);
  for (bool& b : io.MouseDown) b = false;
  io.MouseDown[0] = down_;
}

}  // namespace harmonic::native
