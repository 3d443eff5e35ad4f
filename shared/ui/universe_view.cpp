// Everything drawn inside an open universe, as plain functions over the client state.
//
// [SECTION] Layout        where the panels go on large and small windows
// [SECTION] Top bar       back, name, connection, people, panel toggles
// [SECTION] Parameters    the four categories, built from the schema table
// [SECTION] Side panel    chat, people, history
// [SECTION] Audio         start button, waveform and spectrum
// [SECTION] Canvas        zoom/pan input, remote cursors, world frame
// [SECTION] Notices       toasts, debug event log
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "imgui.h"
#include "params/schema.hpp"
#include "ui/quality_view.hpp"
#include "ui/theme.hpp"
#include "ui/view.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

using nlohmann::json;

// [SECTION] Layout -------------------------------------------------------------------

namespace {

struct Layout {
  float top = 52;           // height of the top bar
  float left_w = 360;       // parameter panel
  float right_w = 320;      // side panel
  float audio_h = 170;
  bool compact = false;     // small window: panels overlap the canvas more, narrower
};

Layout layout_for(const Frame& f) {
  Layout l;
  l.compact = f.display_w < 980;
  if (l.compact) {
    l.left_w = std::min(330.0f, f.display_w * 0.9f);
    l.right_w = std::min(300.0f, f.display_w * 0.9f);
  }
  return l;
}

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

std::string time_of_day(double timestamp_ms) {
  // std::localtime's shared buffer is fine here: the UI runs on one thread, and it
  // keeps the shared code free of per-platform variants (localtime_r / localtime_s).
  const std::time_t seconds = std::time_t(timestamp_ms / 1000);
  const std::tm* local = std::localtime(&seconds);
  if (!local) return "";
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%H:%M", local);
  return buffer;
}

std::string format_value(const json& value) {
  if (value.is_number_float()) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3g", value.get<double>());
    return buffer;
  }
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

// [SECTION] Top bar -----------------------------------------------------------------

void connection_indicator(Frame& f) {
  const auto& s = f.state;
  ImU32 color = colors::ok;
  std::string text = "Connected";
  switch (s.connection) {
    case client::ConnectionStatus::connected:
      if (!s.joined) {
        color = colors::warn;
        text = "Joining…";
      }
      break;
    case client::ConnectionStatus::connecting:
      color = colors::warn;
      text = s.reconnect_attempt > 0 ? "Connecting (attempt " + std::to_string(s.reconnect_attempt) + ")" : "Connecting…";
      break;
    case client::ConnectionStatus::reconnecting: {
      color = colors::warn;
      const double wait = std::max(0.0, (s.next_retry_ms - f.now_ms) / 1000.0);
      char buffer[96];
      if (wait > 0.05) {
        std::snprintf(buffer, sizeof buffer, "Reconnecting: attempt %d of %d in %.0f s", s.reconnect_attempt,
                      s.reconnect_attempts_max, std::ceil(wait));
      } else {
        std::snprintf(buffer, sizeof buffer, "Reconnecting: attempt %d of %d…", s.reconnect_attempt,
                      s.reconnect_attempts_max);
      }
      text = buffer;
      break;
    }
    case client::ConnectionStatus::disconnected:
      color = colors::error;
      text = "Offline";
      break;
  }
  status_dot(color);
  ImGui::TextUnformatted(text.c_str());
  f.view.widgets["status.connection"] = Rect{};
  if (s.connection == client::ConnectionStatus::disconnected) {
    ImGui::SameLine();
    if (ImGui::SmallButton("Retry")) f.actions.retry_connection();
  }
}

bool toggle(const char* label, bool* value) {
  ImGui::PushStyleColor(ImGuiCol_Button, *value ? ImVec4(0.21f, 0.32f, 0.50f, 1) : ImVec4(0.14f, 0.17f, 0.25f, 1));
  const bool pressed = ImGui::Button(label);
  ImGui::PopStyleColor();
  if (pressed) *value = !*value;
  return pressed;
}

void draw_top_bar(Frame& f, const Layout& l) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(f.display_w, l.top));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 10));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.05f, 0.06f, 0.09f, 0.86f));
  ImGui::Begin("##topbar", nullptr, ImGuiWindowFlags_NoDecoration | kPanelFlags);
  if (ImGui::Button("< Universes")) f.actions.leave_universe();
  record_widget(f, "top.back");
  ImGui::SameLine();
  ImGui::PushFont(f.fonts.large);
  const std::string name = f.state.universe.value("name", std::string("Universe"));
  ImGui::TextUnformatted(name.c_str());
  ImGui::PopFont();
  if (f.state.read_only) {
    ImGui::SameLine();
    badge("view only", IM_COL32(90, 70, 130, 255));
  }
  ImGui::SameLine(0, 24);
  connection_indicator(f);

  // Right side: people, then panel toggles.
  const float toggles_w = f.display_w < 760 ? 0 : 330;
  float x = f.display_w - toggles_w - 12;
  const int shown = std::min<int>(int(f.state.participants.size()), 6);
  x -= shown * 24 + 8;
  if (!f.state.participants.empty() && x > ImGui::GetCursorPosX() + 40) {
    ImGui::SameLine(x);
    for (int i = 0; i < shown; ++i) {
      const auto& p = f.state.participants[std::size_t(i)];
      ImGui::PushID(i);
      const bool away = p.status != "active";
      avatar(p.username, client::user_color(p.id), 10);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (%s)", p.username.c_str(), p.status.c_str());
      (void)away;
      ImGui::SameLine(0, 4);
      ImGui::PopID();
    }
  }
  if (toggles_w > 0) {
    ImGui::SameLine(f.display_w - toggles_w);
    toggle("Parameters", &f.view.show_parameters);
    ImGui::SameLine();
    char side[48];
    if (f.state.unread_chat > 0) std::snprintf(side, sizeof side, "Chat (%d)###side", f.state.unread_chat);
    else std::snprintf(side, sizeof side, "Chat & people###side");
    toggle(side, &f.view.show_side);
    record_widget(f, "top.side");
    ImGui::SameLine();
    toggle("Sound", &f.view.show_audio);
  } else {
    ImGui::SameLine(f.display_w - 120);
    if (ImGui::Button("Panels")) {
      const bool any = f.view.show_parameters || f.view.show_side;
      f.view.show_parameters = !any;
      f.view.show_side = false;
    }
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

// [SECTION] Parameters --------------------------------------------------------------

int decimals_for(const params::ParameterSpec& spec) {
  if (spec.step <= 0) return 2;
  int d = 0;
  double step = spec.step;
  while (step < 0.999 && d < 4) {
    step *= 10;
    ++d;
  }
  return d;
}

bool parse_hex_color(const std::string& text, float out[3]) {
  if (text.size() != 7 || text[0] != '#') return false;
  for (int i = 0; i < 3; ++i) {
    const int v = std::stoi(text.substr(std::size_t(1 + 2 * i), 2), nullptr, 16);
    out[i] = float(v) / 255.0f;
  }
  return true;
}

std::string to_hex_color(const float c[3]) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02X%02X%02X", int(std::lround(std::clamp(c[0], 0.0f, 1.0f) * 255)),
                int(std::lround(std::clamp(c[1], 0.0f, 1.0f) * 255)), int(std::lround(std::clamp(c[2], 0.0f, 1.0f) * 255)));
  return buffer;
}

void parameter_row(Frame& f, const params::CategorySpec& category, const params::ParameterSpec& spec, float label_w) {
  const std::string cat(category.name), name(spec.name);
  const json value = f.actions.parameter(cat, name);
  ImGui::PushID(name.c_str());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(std::string(spec.label).c_str());
  if (ImGui::IsItemHovered() && !spec.meaning.empty()) {
    ImGui::SetTooltip("%s\n(%s)", std::string(spec.meaning).c_str(), name.c_str());
  }
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1);
  const std::string unit = spec.unit.empty() ? "" : " " + std::string(spec.unit);
  switch (spec.type) {
    case params::ValueType::real: {
      float v = value.is_number() ? value.get<float>() : float(spec.default_number);
      char format[32];
      std::snprintf(format, sizeof format, "%%.%df%s", decimals_for(spec), unit.c_str());
      ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp;
      if (spec.logarithmic) flags |= ImGuiSliderFlags_Logarithmic;
      if (ImGui::SliderFloat("##v", &v, float(spec.min), float(spec.max), format, flags)) {
        f.actions.edit_parameter(cat, name, double(v));
      }
      break;
    }
    case params::ValueType::integer: {
      int v = value.is_number() ? value.get<int>() : int(spec.default_number);
      const std::string format = "%d" + unit;
      ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp;
      if (spec.logarithmic || spec.max / std::max(1.0, spec.min) > 1000) flags |= ImGuiSliderFlags_Logarithmic;
      if (ImGui::SliderInt("##v", &v, int(spec.min), int(spec.max), format.c_str(), flags)) {
        f.actions.edit_parameter(cat, name, v);
      }
      break;
    }
    case params::ValueType::choice: {
      const std::string current = value.is_string() ? value.get<std::string>() : std::string(spec.default_text);
      if (ImGui::BeginCombo("##v", current.c_str())) {
        for (const auto& choice : spec.choices) {
          const std::string c(choice);
          if (ImGui::Selectable(c.c_str(), c == current) && c != current) f.actions.choose_parameter(cat, name, c);
        }
        ImGui::EndCombo();
      }
      break;
    }
    case params::ValueType::color: {
      float rgb[3] = {1, 1, 1};
      parse_hex_color(value.is_string() ? value.get<std::string>() : std::string(spec.default_text), rgb);
      if (ImGui::ColorEdit3("##v", rgb, ImGuiColorEditFlags_DisplayHex | ImGuiColorEditFlags_NoOptions)) {
        f.actions.edit_parameter(cat, name, to_hex_color(rgb));
      }
      break;
    }
  }
  record_widget(f, "param." + cat + "." + name);
  ImGui::PopID();
}

void draw_parameter_panel(Frame& f, const Layout& l) {
  const float height = f.display_h - l.top - 16 - (f.view.show_audio ? l.audio_h + 8 : 0);
  ImGui::SetNextWindowPos(ImVec2(8, l.top + 8));
  ImGui::SetNextWindowSize(ImVec2(l.left_w, std::max(200.0f, height)));
  if (!ImGui::Begin("Parameters", &f.view.show_parameters, kPanelFlags)) {
    ImGui::End();
    return;
  }
  if (ImGui::BeginTabBar("##categories")) {
    for (const auto& category : params::categories()) {
      const std::string label(category.label);
      const bool selected = ImGui::BeginTabItem(label.c_str());
      record_widget(f, "tab." + std::string(category.name));  // so scripts can switch tabs
      if (!selected) continue;
      ImGui::BeginChild("##rows", ImVec2(0, -36), false);
      ImGui::BeginDisabled(f.state.read_only || !f.state.joined);
      const float label_w = std::min(150.0f, ImGui::GetContentRegionAvail().x * 0.42f);
      for (const auto& spec : category.parameters) parameter_row(f, category, spec, label_w);
      ImGui::EndDisabled();
      if (category.name == params::table::visualization_name) draw_quality_choice(f);
      ImGui::EndChild();
      ImGui::BeginDisabled(f.state.read_only || !f.state.joined);
      const std::string reset = "Reset " + label + " to defaults";
      if (ImGui::Button(reset.c_str(), ImVec2(-1, 0))) f.actions.reset_category(std::string(category.name));
      record_widget(f, "reset." + std::string(category.name));
      ImGui::EndDisabled();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

// [SECTION] Side panel --------------------------------------------------------------

void chat_tab(Frame& f) {
  const auto& s = f.state;
  const float input_h = ImGui::GetFrameHeightWithSpacing() + 4;
  ImGui::BeginChild("##messages", ImVec2(0, -input_h), false);
  if (s.chat.empty()) {
    ImGui::Dummy(ImVec2(0, 20));
    ImGui::TextDisabled("No messages yet. Say hello!");
  }
  for (const auto& m : s.chat) {
    const unsigned color = client::user_color(m.user_id);
    ImGui::PushID(m.id.c_str());
    avatar(m.username, color, 10);
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, rgb_to_imgui(color));
    ImGui::TextUnformatted(m.username.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    ImGui::PushFont(f.fonts.small);
    ImGui::TextDisabled("%s", time_of_day(m.timestamp).c_str());
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(m.message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::Dummy(ImVec2(0, 2));
    ImGui::PopID();
  }
  // Follow new messages unless the reader scrolled up.
  if (f.view.chat_at_bottom) ImGui::SetScrollHereY(1.0f);
  f.view.chat_at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4;
  ImGui::EndChild();

  ImGui::SetNextItemWidth(-70);
  if (f.view.focus_chat) {
    ImGui::SetKeyboardFocusHere();
    f.view.focus_chat = false;
  }
  const bool enter = ImGui::InputTextWithHint("##chat", "Message", f.view.chat_input.data(), f.view.chat_input.size(),
                                              ImGuiInputTextFlags_EnterReturnsTrue);
  record_widget(f, "chat.input");
  ImGui::SameLine();
  const bool send = ImGui::Button("Send", ImVec2(-1, 0));
  record_widget(f, "chat.send");
  if ((enter || send) && f.view.chat_input[0]) {
    f.actions.send_chat(f.view.chat_input.data());
    f.view.chat_input[0] = 0;
    f.view.chat_at_bottom = true;
    f.view.focus_chat = true;
  }
  if (s.unread_chat > 0) f.actions.mark_chat_read();
}

void people_tab(Frame& f) {
  for (const auto& p : f.state.participants) {
    ImGui::PushID(p.id.c_str());
    avatar(p.username, client::user_color(p.id), 11);
    ImGui::SameLine();
    ImGui::TextUnformatted(p.username.c_str());
    if (f.state.user && f.state.user->id == p.id) {
      ImGui::SameLine();
      ImGui::TextDisabled("(you)");
    }
    ImGui::SameLine(ImGui::GetContentRegionAvail().x - 50 + ImGui::GetCursorPosX() - ImGui::GetCursorPosX());
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 70);
    status_dot(presence_color(p.status));
    ImGui::TextDisabled("%s", p.status.c_str());
    ImGui::PopID();
  }
  if (f.state.participants.empty()) ImGui::TextDisabled("Nobody here yet.");
}

void history_tab(Frame& f) {
  const auto& s = f.state;
  if (s.history.empty()) ImGui::TextDisabled("No changes yet. Move a slider!");
  for (auto it = s.history.rbegin(); it != s.history.rend(); ++it) {
    const auto& h = *it;
    const std::string who = s.username_of(h.user_id);
    ImGui::PushID(int(std::distance(s.history.rbegin(), it)));
    status_dot(rgb_to_imgui(client::user_color(h.user_id)), 4);
    ImGui::PushStyleColor(ImGuiCol_Text, rgb_to_imgui(client::user_color(h.user_id)));
    ImGui::TextUnformatted(who.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (h.kind == "reset") ImGui::Text("reset %s", h.category.c_str());
    else if (h.kind == "universe") ImGui::TextUnformatted("edited the universe");
    else ImGui::Text("changed %s", h.category.c_str());
    {
      std::string line;
      int n = 0;
      for (auto c = h.changes.begin(); h.changes.is_object() && c != h.changes.end() && n < 4; ++c, ++n) {
        if (!line.empty()) line += ", ";
        json v = c.value();
        if (v.is_object() && v.contains("to")) v = v["to"];
        line += c.key() + " " + format_value(v);
      }
      if (h.changes.is_object() && h.changes.size() > 4) line += ", …";
      if (h.kind == "reset") line.clear();
      line += (line.empty() ? "" : "  ·  ") + client::relative_time(h.timestamp, f.now_ms);
      ImGui::Indent(16);
      ImGui::PushFont(f.fonts.small);
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ImGui::TextWrapped("%s", line.c_str());
      ImGui::PopStyleColor();
      ImGui::PopFont();
      ImGui::Unindent(16);
    }
    ImGui::PopID();
  }
}

void draw_side_panel(Frame& f, const Layout& l) {
  const float x = f.display_w - l.right_w - 8;
  ImGui::SetNextWindowPos(ImVec2(x, l.top + 8));
  ImGui::SetNextWindowSize(ImVec2(l.right_w, f.display_h - l.top - 16));
  if (!ImGui::Begin("Together", &f.view.show_side, kPanelFlags)) {
    ImGui::End();
    return;
  }
  if (ImGui::BeginTabBar("##side")) {
    char chat_label[48];
    if (f.state.unread_chat > 0) std::snprintf(chat_label, sizeof chat_label, "Chat (%d)###chat", f.state.unread_chat);
    else std::snprintf(chat_label, sizeof chat_label, "Chat###chat");
    if (ImGui::BeginTabItem(chat_label)) {
      chat_tab(f);
      ImGui::EndTabItem();
    }
    record_widget(f, "tab.chat");
    char people_label[48];
    std::snprintf(people_label, sizeof people_label, "People (%zu)###people", f.state.participants.size());
    if (ImGui::BeginTabItem(people_label)) {
      people_tab(f);
      ImGui::EndTabItem();
    }
    record_widget(f, "tab.people");
    if (ImGui::BeginTabItem("History")) {
      ImGui::BeginChild("##history");
      history_tab(f);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    record_widget(f, "tab.history");
    ImGui::EndTabBar();
  }
  ImGui::End();
}

// [SECTION] Audio -------------------------------------------------------------------

void draw_audio_panel(Frame& f, const Layout& l) {
  const float w = l.compact ? std::min(f.display_w - 16, 360.0f) : l.left_w;
  ImGui::SetNextWindowPos(ImVec2(8, f.display_h - l.audio_h - 8));
  ImGui::SetNextWindowSize(ImVec2(w, l.audio_h));
  if (!ImGui::Begin("Sound", &f.view.show_audio, kPanelFlags)) {
    ImGui::End();
    return;
  }
  const auto& a = f.audio;
  if (!a.running && !a.available) {
    // The platform has no sound output (no device, or the last start failed).
    if (ImGui::Button("No audio output", ImVec2(0, 0))) f.actions.start_audio();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("No sound output could be opened. Click to try again.");
  } else if (!a.running) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.20f, 0.45f, 0.80f, 1));
    if (ImGui::Button("Start audio", ImVec2(120, 0))) f.actions.start_audio();
    ImGui::PopStyleColor();
  } else {
    if (ImGui::Button("Mute", ImVec2(120, 0))) f.actions.stop_audio();
  }
  record_widget(f, "audio.toggle");
  ImGui::SameLine();
  // The beat: a dot that flashes on each beat.
  const float flash = std::exp(-a.beat_phase * 6.0f);
  status_dot(IM_COL32(71, 179, 255, int(60 + 195 * flash)), 6);
  ImGui::TextUnformatted(a.now_playing.c_str());
  const float plot_w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float plot_h = ImGui::GetContentRegionAvail().y - 4;
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0.05f, 0.06f, 0.09f, 0.9f));
  if (!a.waveform.empty()) {
    ImGui::PlotLines("##wave", a.waveform.data(), int(a.waveform.size()), 0, "waveform", -1.0f, 1.0f,
                     ImVec2(plot_w, plot_h));
  } else {
    ImGui::Dummy(ImVec2(plot_w, plot_h));
  }
  ImGui::SameLine();
  if (!a.spectrum.empty()) {
    ImGui::PlotHistogram("##spectrum", a.spectrum.data(), int(a.spectrum.size()), 0, "spectrum", 0.0f, 1.0f,
                         ImVec2(-1, plot_h));
  }
  ImGui::PopStyleColor();
  ImGui::End();
}

// [SECTION] Canvas ------------------------------------------------------------------

void canvas_input(Frame& f) {
  ImGuiIO& io = ImGui::GetIO();
  auto& camera = f.view.camera;
  f.view.canvas_hovered = !io.WantCaptureMouse;
  const ImVec2 mouse = io.MousePos;
  const bool mouse_valid = mouse.x > -1e6f && mouse.y > -1e6f;
  if (f.view.canvas_hovered && mouse_valid) {
    float wx, wy;
    camera.to_world(mouse.x, mouse.y, wx, wy);
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) f.actions.move_cursor(wx, wy);
    if (io.MouseWheel != 0) camera.zoom_at(mouse.x, mouse.y, std::pow(1.15f, io.MouseWheel));
    if (ImGui::IsMouseClicked(0)) f.view.panning = true;
    if (ImGui::IsMouseDoubleClicked(0)) camera.reset();
  }
  if (f.view.panning) {
    if (io.MouseDown[0]) camera.pan_by_screen(io.MouseDelta.x, io.MouseDelta.y);
    else f.view.panning = false;
  }
}

void world_frame(Frame& f) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const auto& c = f.view.camera;
  const float hw = c.world_width * 0.5f, hh = c.world_height * 0.5f;
  ImVec2 corners[4];
  const float xs[4] = {-hw, hw, hw, -hw}, ys[4] = {-hh, -hh, hh, hh};
  for (int i = 0; i < 4; ++i) c.to_screen(xs[i], ys[i], corners[i].x, corners[i].y);
  draw->AddPolyline(corners, 4, IM_COL32(120, 150, 220, 40), ImDrawFlags_Closed, 1.0f);
}

}  // namespace

void draw_cursors_overlay(Frame& f) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  for (const auto& [id, cursor] : f.state.cursors) {
    const double age = f.now_ms - cursor.updated_ms;
    const float alpha = age < 8000 ? 1.0f : std::max(0.0f, 1.0f - float(age - 8000) / 4000.0f);
    if (alpha <= 0) continue;
    float sx, sy;
    f.view.camera.to_screen(float(cursor.x), float(cursor.y), sx, sy);
    const unsigned rgb = client::user_color(id);
    const ImU32 color = rgb_to_imgui(rgb, alpha);
    // An arrow pointer like the system's, then a name tag.
    const ImVec2 p(sx, sy);
    const ImVec2 a(p.x, p.y), b(p.x, p.y + 18), c2(p.x + 5, p.y + 13.5f), d(p.x + 12.5f, p.y + 13);
    draw->AddTriangleFilled(a, b, c2, color);
    draw->AddTriangleFilled(a, c2, d, color);
    draw->AddLine(a, b, IM_COL32(10, 12, 18, int(200 * alpha)), 1.0f);
    draw->AddLine(a, d, IM_COL32(10, 12, 18, int(200 * alpha)), 1.0f);
    const char* name = cursor.username.c_str();
    const ImVec2 size = ImGui::CalcTextSize(name);
    const ImVec2 tag(p.x + 12, p.y + 18);
    draw->AddRectFilled(tag, ImVec2(tag.x + size.x + 12, tag.y + size.y + 4), color, 6);
    draw->AddText(ImVec2(tag.x + 6, tag.y + 2), IM_COL32(10, 12, 18, int(255 * alpha)), name);
  }
}

void draw_universe_screen(Frame& f) {
  const Layout l = layout_for(f);
  canvas_input(f);
  world_frame(f);
  draw_cursors_overlay(f);
  draw_top_bar(f, l);
  if (f.view.show_parameters) draw_parameter_panel(f, l);
  if (f.view.show_side) draw_side_panel(f, l);
  if (f.view.show_audio) draw_audio_panel(f, l);
  if (!f.state.joined && f.state.connection == client::ConnectionStatus::connected) {
    ImGui::SetNextWindowPos(ImVec2(f.display_w * 0.5f, f.display_h * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::Begin("##joining", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                           ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted("Opening the universe…");
    ImGui::End();
  }
  // Frame rate and size, quietly, bottom right of the canvas.
  char info[128];
  std::snprintf(info, sizeof info, "%zu particles · %.0f fps · zoom %.1fx · %s", f.particle_count, f.fps,
                f.view.camera.zoom(), f.quality ? quality_status_text(*f.quality).c_str() : "");
  ImGui::PushFont(f.fonts.small);
  const ImVec2 size = ImGui::CalcTextSize(info);
  const float right = f.display_w - (f.view.show_side ? l.right_w + 16 : 0) - 12;
  ImGui::GetBackgroundDrawList()->AddText(ImVec2(right - size.x, f.display_h - size.y - 10),
                                          IM_COL32(160, 170, 190, 150), info);
  ImGui::PopFont();
}

// [SECTION] Notices -----------------------------------------------------------------

// Toasts stack upwards from the bottom centre: the top of every screen holds its header
// and the sides hold panels, while the bottom centre is only canvas or empty list space.
void draw_notices(Frame& f) {
  float bottom = f.display_h - 84;  // above the list screen's footer line
  const float width = std::min(360.0f, f.display_w - 24);
  const float x = f.display_w * 0.5f - width * 0.5f;
  for (std::size_t i = 0; i < f.state.notices.size(); ++i) {
    const auto& n = f.state.notices[i];
    ImU32 accent = colors::accent;
    if (n.level == client::NoticeLevel::error) accent = colors::error;
    else if (n.level == client::NoticeLevel::warning) accent = colors::warn;
    else if (n.level == client::NoticeLevel::success) accent = colors::ok;
    const double age = f.now_ms - n.at_ms;
    const float alpha = float(std::clamp(std::min(age / 150.0, (n.duration_ms - age) / 400.0), 0.0, 1.0));
    char id[32];
    std::snprintf(id, sizeof id, "##notice%zu", i);
    ImGui::SetNextWindowPos(ImVec2(x, bottom), ImGuiCond_Always, ImVec2(0, 1));
    ImGui::SetNextWindowSize(ImVec2(width, 0));
    ImGui::SetNextWindowBgAlpha(0.95f * alpha);
    ImGui::PushStyleVar(ImGuiStyleVar_Alpha, std::max(alpha, 0.05f));
    ImGui::PushStyleColor(ImGuiCol_Border, ImGui::ColorConvertU32ToFloat4(accent));
    ImGui::Begin(id, nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                  ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                  ImGuiWindowFlags_NoNav);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(accent));
    ImGui::TextUnformatted(n.title.c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(width - 34);
    if (ImGui::SmallButton("x")) f.actions.dismiss_notice(i);
    if (!n.text.empty()) {
      ImGui::PushTextWrapPos(width - 16);
      ImGui::TextUnformatted(n.text.c_str());
      ImGui::PopTextWrapPos();
    }
    bottom -= ImGui::GetWindowHeight() + 6;
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
  }
}

void draw_debug_log(Frame& f) {
  if (f.state.debug_level <= 0) return;
  // First shown between the side panels, under the top bar (toasts use the bottom).
  const auto l = layout_for(f);
  const float free_w = f.display_w - l.left_w - l.right_w - 32;
  const bool fits_between = !l.compact && free_w >= 320;
  const float w = fits_between ? std::min(600.0f, free_w) : std::min(600.0f, f.display_w - 16);
  const float x = fits_between ? l.left_w + 16 + (free_w - w) * 0.5f : (f.display_w - w) * 0.5f;
  ImGui::SetNextWindowPos(ImVec2(x, l.top + 8), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(w, 260), ImGuiCond_FirstUseEver);
  char title[64];
  std::snprintf(title, sizeof title, "Event log (debug level %d)###eventlog", f.state.debug_level);
  if (!ImGui::Begin(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  f.view.widgets["eventlog"] = Rect{ImGui::GetWindowPos().x, ImGui::GetWindowPos().y, ImGui::GetWindowSize().x, ImGui::GetWindowSize().y};
  ImGui::PushFont(f.fonts.small);
  ImGui::BeginChild("##log");
  if (ImGui::BeginTable("##events", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("time");
    ImGui::TableSetupColumn("dir");
    ImGui::TableSetupColumn("event");
    ImGui::TableSetupColumn("payload", ImGuiTableColumnFlags_WidthStretch);
    for (const auto& e : f.state.event_log) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::time_t seconds = std::time_t(e.at_ms / 1000);
      std::tm tm_value{};
      localtime_r(&seconds, &tm_value);
      ImGui::TextDisabled("%02d:%02d:%02d.%03d", tm_value.tm_hour, tm_value.tm_min, tm_value.tm_sec,
                          int(std::fmod(e.at_ms, 1000.0)));
      ImGui::TableNextColumn();
      ImGui::TextColored(e.outgoing ? ImVec4(0.5f, 0.8f, 1, 1) : ImVec4(0.5f, 1, 0.6f, 1), "%s",
                         e.outgoing ? "out" : "in");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(e.name.c_str());
      record_widget(f, "eventlog." + std::string(e.outgoing ? "out." : "in.") + e.name);
      ImGui::TableNextColumn();
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(e.payload.c_str());
      ImGui::PopTextWrapPos();
    }
    ImGui::EndTable();
  }
  if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 20) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
  ImGui::PopFont();
  ImGui::End();
}

}  // namespace harmonic::ui
