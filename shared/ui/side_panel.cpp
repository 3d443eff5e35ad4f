// The side panel ("Together"): chat, people, history.
#include "ui/side_panel.hpp"

#include <cstdio>
#include <ctime>
#include <iterator>

#include "imgui.h"
#include "ui/display_text.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

using nlohmann::json;

namespace {

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

void chat_tab(Frame& f) {
  const auto& s = f.state;
  const float input_h = ImGui::GetFrameHeightWithSpacing() + 4;
  ImGui::BeginChild("##messages", ImVec2(0, -input_h), false);
  if (s.chat.empty()) {
    ImGui::Dummy(ImVec2(0, 20));
    ImGui::TextDisabled("No messages yet. Say hello!");
  }
  for (const auto& m : s.chat) {
    const unsigned color = user_color(m.user_id);
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
    if (&m == &s.chat.back()) record_widget(f, "chat.last");  // where the newest line went, for tests
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
    f.client.send_chat(f.view.chat_input.data());
    f.view.chat_input[0] = 0;
    f.view.chat_at_bottom = true;
    f.view.focus_chat = true;
  }
  if (s.unread_chat > 0) f.client.mark_chat_read();
}

void people_tab(Frame& f) {
  for (const auto& p : f.state.participants) {
    ImGui::PushID(p.id.c_str());
    avatar(p.username, user_color(p.id), 11);
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
    status_dot(rgb_to_imgui(user_color(h.user_id)), 4);
    ImGui::PushStyleColor(ImGuiCol_Text, rgb_to_imgui(user_color(h.user_id)));
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
      line += (line.empty() ? "" : "  ·  ") + relative_time(h.timestamp, f.now_ms);
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

}  // namespace

void draw_side_panel(Frame& f, const UniverseLayout& l) {
  if (!begin_panel(f, l, "Together", "side", l.side, &f.view.show_side)) {
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

}  // namespace harmonic::ui
