#include "ui/sheet_tabs.hpp"

#include <cstdio>
#include <string>

#include "imgui.h"
#include "ui/widgets.hpp"

namespace harmonic::ui {

void draw_sheet_tabs(Frame& f, const UniverseLayout& l) {
  const Rect& at = l.sheet_tabs;
  ImGui::SetNextWindowPos(ImVec2(at.x, at.y));
  ImGui::SetNextWindowSize(ImVec2(at.w, at.h));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, (at.h - l.min_hit) * 0.5f));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(6, 0));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.05f, 0.06f, 0.09f, 0.94f));
  ImGui::Begin("##sheettabs", nullptr, ImGuiWindowFlags_NoDecoration | kPanelFlags);
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float tab_w = (ImGui::GetContentRegionAvail().x - gap * 2) / 3;
  for (const SheetTab tab : kSheetTabs) {
    const bool open = f.view.sheet_open && f.view.sheet == tab;
    std::string label(sheet_tab_label(tab));
    if (tab == SheetTab::people && f.state.unread_chat > 0) label = "Chat (" + std::to_string(f.state.unread_chat) + ")";
    label += "###" + std::string(sheet_tab_name(tab));
    if (tab != SheetTab::parameters) ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Button, open ? ImVec4(0.21f, 0.32f, 0.50f, 1) : ImVec4(0.10f, 0.12f, 0.18f, 1));
    if (ImGui::Button(label.c_str(), ImVec2(tab_w, l.min_hit))) {
      f.view.sheet_open = !open;
      f.view.sheet = tab;
    }
    ImGui::PopStyleColor();
    record_widget(f, "sheet.tab." + std::string(sheet_tab_name(tab)));
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(3);
}

}  // namespace harmonic::ui
