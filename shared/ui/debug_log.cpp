// The debug event log: every event in and out, when the debug level is above 0.
#include "ui/debug_log.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "imgui.h"
#include "ui/layout.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

void draw_debug_log(Frame& f) {
  if (f.state.debug_level <= 0) return;
  // First shown between the side panels, under the top bar (toasts use the bottom).
  const Rect at = universe_layout(f.display(), PanelsShown{}).event_log;
  ImGui::SetNextWindowPos(ImVec2(at.x, at.y), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(at.w, at.h), ImGuiCond_FirstUseEver);
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
