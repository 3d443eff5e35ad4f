// The universe screen's top bar. Wide: back, name, connection, people, panel toggles.
// Compact: back, name, a status dot and the number of people, each a finger-sized
// target. Items are placed right to left first, so the name is what gets shortened
// and nothing overlaps (tests/e2e/browser/layout.test.mjs checks it).
#include "ui/top_bar.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "ui/display_text.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

namespace {

struct Connection {
  ImU32 color = colors::ok;
  std::string text;        // the wide bar's sentence
  std::string short_text;  // the compact bar's word
};

Connection connection_of(const Frame& f) {
  const auto& s = f.state;
  Connection c{colors::ok, "Connected", "Live"};
  switch (s.connection) {
    case client::ConnectionStatus::connected:
      if (!s.joined) c = {colors::warn, "Joining…", "Joining"};
      break;
    case client::ConnectionStatus::connecting:
      c = {colors::warn,
           s.reconnect_attempt > 0 ? "Connecting (attempt " + std::to_string(s.reconnect_attempt) + ")" : "Connecting…",
           "Connecting"};
      break;
    case client::ConnectionStatus::reconnecting: {
      const double wait = std::max(0.0, (s.next_retry_ms - f.now_ms) / 1000.0);
      char buffer[96];
      if (wait > 0.05) {
        std::snprintf(buffer, sizeof buffer, "Reconnecting: attempt %d of %d in %.0f s", s.reconnect_attempt,
                      s.reconnect_attempts_max, std::ceil(wait));
      } else {
        std::snprintf(buffer, sizeof buffer, "Reconnecting: attempt %d of %d…", s.reconnect_attempt,
                      s.reconnect_attempts_max);
      }
      c = {colors::warn, buffer, "Reconnecting"};
      break;
    }
    case client::ConnectionStatus::disconnected:
      c = {colors::error, "Offline", "Offline"};
      break;
  }
  return c;
}

bool toggle(const char* label, bool* value) {
  ImGui::PushStyleColor(ImGuiCol_Button, *value ? ImVec4(0.21f, 0.32f, 0.50f, 1) : ImVec4(0.14f, 0.17f, 0.25f, 1));
  const bool pressed = ImGui::Button(label);
  ImGui::PopStyleColor();
  if (pressed) *value = !*value;
  return pressed;
}

float button_width(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
}

// The connection: a dot and a word (or sentence), and Retry when offline. Returns its width
// when `draw` is false, so the bar can make room for it first.
float connection_item(Frame& f, const Connection& c, const std::string& text, bool draw) {
  const auto& style = ImGui::GetStyle();
  const bool offline = f.state.connection == client::ConnectionStatus::disconnected;
  const float width = 9 + style.ItemSpacing.x + ImGui::CalcTextSize(text.c_str()).x +
                      (offline ? style.ItemSpacing.x + button_width("Retry") : 0);
  if (!draw) return width;
  ImGui::BeginGroup();
  row_dot(c.color);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text.c_str());
  ImGui::EndGroup();
  record_widget(f, "top.status");
  if (offline) {
    ImGui::SameLine();
    if (ImGui::Button("Retry")) f.client.retry_connection();
    record_widget(f, "top.retry");
  }
  return width;
}

void begin_bar(const UniverseLayout& l) {
  ImGui::SetNextWindowPos(ImVec2(l.top_bar.x, l.top_bar.y));
  ImGui::SetNextWindowSize(ImVec2(l.top_bar.w, l.top_bar.h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  const float pad_y = std::max(4.0f, (l.top_bar.h - ImGui::GetFrameHeight()) * 0.5f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, pad_y));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.05f, 0.06f, 0.09f, 0.86f));
  ImGui::Begin("##topbar", nullptr, ImGuiWindowFlags_NoDecoration | kPanelFlags);
}

void end_bar() {
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

// The universe's name in the large font, shortened to `max_w`.
void universe_name(Frame& f, float max_w) {
  ImGui::PushFont(f.fonts.large);
  const std::string name = fit_text(f.state.universe.value("name", std::string("Universe")), std::max(0.0f, max_w));
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(name.c_str());
  ImGui::PopFont();
  record_widget(f, "top.name");
}

void wide_bar(Frame& f, const UniverseLayout& l) {
  const auto& style = ImGui::GetStyle();
  const float right_end = l.top_bar.w - 12;
  // Right to left: toggles, then the avatars.
  char side[48];
  if (f.state.unread_chat > 0) std::snprintf(side, sizeof side, "Chat (%d)###side", f.state.unread_chat);
  else std::snprintf(side, sizeof side, "Chat & people###side");
  const float toggles_w = button_width("Parameters") + button_width(side) + button_width("Sound") +
                          2 * style.ItemSpacing.x;
  const float toggles_x = right_end - toggles_w;
  const int shown = std::min<int>(int(f.state.participants.size()), 6);
  const float avatars_w = shown > 0 ? float(shown) * 24 : 0;
  const float avatars_x = toggles_x - 16 - avatars_w;

  if (ImGui::Button("< Universes")) f.client.leave_universe();
  record_widget(f, "top.back");
  const Connection c = connection_of(f);
  const float status_w = connection_item(f, c, c.text, false);
  const float badge_w = f.state.read_only ? ImGui::CalcTextSize("view only").x + 14 + style.ItemSpacing.x : 0;
  ImGui::SameLine();
  const float name_max = avatars_x - ImGui::GetCursorPosX() - badge_w - 24 - status_w - 16;
  universe_name(f, name_max);
  if (f.state.read_only) {
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + style.FramePadding.y);
    badge("view only", IM_COL32(90, 70, 130, 255));
  }
  ImGui::SameLine(0, 24);
  connection_item(f, c, c.text, true);

  if (shown > 0 && avatars_x > ImGui::GetItemRectMax().x + 8) {
    ImGui::SameLine(avatars_x);
    ImGui::BeginGroup();
    for (int i = 0; i < shown; ++i) {
      const auto& p = f.state.participants[std::size_t(i)];
      ImGui::PushID(i);
      ImGui::AlignTextToFramePadding();
      avatar(p.username, user_color(p.id), 10);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (%s)", p.username.c_str(), p.status.c_str());
      if (i + 1 < shown) ImGui::SameLine(0, 4);
      ImGui::PopID();
    }
    ImGui::EndGroup();
    record_widget(f, "top.people");
  }
  ImGui::SameLine(toggles_x);
  toggle("Parameters", &f.view.show_parameters);
  record_widget(f, "top.parameters");
  ImGui::SameLine();
  toggle(side, &f.view.show_side);
  record_widget(f, "top.side");
  ImGui::SameLine();
  toggle("Sound", &f.view.show_audio);
  record_widget(f, "top.sound");
}

void compact_bar(Frame& f, const UniverseLayout& l) {
  const auto& style = ImGui::GetStyle();
  const float hit = l.min_hit;
  const float right_end = l.top_bar.w - 12;
  const std::size_t count = f.state.participants.size();
  char people[48];
  std::snprintf(people, sizeof people, "%zu %s###people", count, count == 1 ? "person" : "people");
  const float people_w = std::max(hit, button_width(people));
  const Connection c = connection_of(f);
  const float status_w = connection_item(f, c, c.short_text, false);
  const float people_x = right_end - people_w;
  const float status_x = people_x - style.ItemSpacing.x - status_w;

  // "←" (in the font's arrows range, ui/theme.cpp) keeps the back button finger-sized and short.
  if (ImGui::Button("\xE2\x86\x90###back", ImVec2(hit, hit))) f.client.leave_universe();
  record_widget(f, "top.back");
  ImGui::SameLine();
  universe_name(f, status_x - ImGui::GetCursorPosX() - style.ItemSpacing.x);
  ImGui::SameLine(status_x);
  connection_item(f, c, c.short_text, true);
  ImGui::SameLine(people_x);
  // The count opens the people sheet.
  if (ImGui::Button(people, ImVec2(people_w, hit))) {
    f.view.sheet = SheetTab::people;
    f.view.sheet_open = true;
  }
  record_widget(f, "top.people");
}

}  // namespace

void draw_top_bar(Frame& f, const UniverseLayout& l) {
  begin_bar(l);
  if (l.mode == LayoutMode::compact) compact_bar(f, l);
  else wide_bar(f, l);
  end_bar();
}

}  // namespace harmonic::ui
