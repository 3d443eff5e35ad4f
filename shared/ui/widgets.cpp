#include "ui/widgets.hpp"

#include <cctype>
#include <cstdarg>

#include "ui/theme.hpp"
#include "ui/view.hpp"

namespace harmonic::ui {

ImU32 rgb_to_imgui(unsigned rgb, float alpha) {
  return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, int(alpha * 255));
}

void avatar(const std::string& name, unsigned rgb, float radius) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 center(p.x + radius, p.y + ImGui::GetTextLineHeight() * 0.5f + 1);
  draw->AddCircleFilled(center, radius, rgb_to_imgui(rgb, 0.9f), 24);
  char initial[2] = {name.empty() ? '?' : char(std::toupper(static_cast<unsigned char>(name[0]))), 0};
  const ImVec2 size = ImGui::CalcTextSize(initial);
  draw->AddText(ImVec2(center.x - size.x * 0.5f, center.y - size.y * 0.5f), IM_COL32(12, 14, 20, 255), initial);
  ImGui::Dummy(ImVec2(radius * 2, ImGui::GetTextLineHeight()));
}

void badge(const char* text, ImU32 background, ImU32 foreground) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const ImVec2 size = ImGui::CalcTextSize(text);
  const ImVec2 pad(7, 1);
  draw->AddRectFilled(p, ImVec2(p.x + size.x + pad.x * 2, p.y + size.y + pad.y * 2), background, 8);
  draw->AddText(ImVec2(p.x + pad.x, p.y + pad.y), foreground, text);
  ImGui::Dummy(ImVec2(size.x + pad.x * 2, size.y + pad.y * 2));
}

void muted_text(const char* fmt, ...) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  va_list args;
  va_start(args, fmt);
  ImGui::TextWrappedV(fmt, args);
  va_end(args);
  ImGui::PopStyleColor();
}

void center_next(float width) {
  const float avail = ImGui::GetContentRegionAvail().x;
  if (avail > width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + (avail - width) * 0.5f);
}

void status_dot(ImU32 color, float radius) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + radius, p.y + h * 0.5f + 1), radius, color, 16);
  ImGui::Dummy(ImVec2(radius * 2, h));
  ImGui::SameLine();
}

ImU32 presence_color(const std::string& status) {
  if (status == "active") return colors::ok;
  if (status == "idle") return colors::warn;
  return colors::muted;
}

void record_widget(Frame& f, const std::string& name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  f.view.widgets[name] = Rect{a.x, a.y, b.x - a.x, b.y - a.y};
}

}  // namespace harmonic::ui
