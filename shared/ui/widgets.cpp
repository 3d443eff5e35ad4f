#include "ui/widgets.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
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

void row_dot(ImU32 color, float radius) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float row_h = ImGui::GetFrameHeight();
  ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + radius, p.y + row_h * 0.5f), radius, color, 16);
  ImGui::Dummy(ImVec2(radius * 2, row_h));
  ImGui::SameLine();
}

ImU32 presence_color(const std::string& status) {
  if (status == "active") return colors::ok;
  if (status == "idle") return colors::warn;
  return colors::muted;
}

bool begin_panel(Frame& f, const UniverseLayout& l, const char* title, const char* name, const Rect& at, bool* open) {
  ImGui::SetNextWindowPos(ImVec2(at.x, at.y));
  ImGui::SetNextWindowSize(ImVec2(at.w, at.h));
  const bool compact = l.mode == LayoutMode::compact;
  ImGuiWindowFlags flags = kPanelFlags;
  if (compact) flags |= ImGuiWindowFlags_NoTitleBar;
  if (compact) ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  const bool expanded = ImGui::Begin(title, compact ? nullptr : open, flags);
  if (compact) ImGui::PopStyleVar();
  const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  f.view.widgets[std::string("panel.") + name] = Rect{pos.x, pos.y, size.x, size.y};
  return expanded;
}

HitTargetStyle::HitTargetStyle(float min_hit) {
  if (min_hit <= 0) return;
  const ImGuiStyle& style = ImGui::GetStyle();
  const float pad_y = std::max(style.FramePadding.y, std::ceil((min_hit - ImGui::GetFontSize()) * 0.5f));
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(std::max(style.FramePadding.x, 12.0f), pad_y));
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(style.ItemSpacing.x, std::max(style.ItemSpacing.y, 10.0f)));
  ImGui::PushStyleVar(ImGuiStyleVar_GrabMinSize, std::max(style.GrabMinSize, 28.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, std::max(style.ScrollbarSize, 16.0f));
  vars_ = 4;
}

HitTargetStyle::~HitTargetStyle() {
  if (vars_ > 0) ImGui::PopStyleVar(vars_);
}

std::string fit_text(const std::string& text, float max_width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= max_width) return text;
  std::string shorter = text;
  while (!shorter.empty()) {
    // Drop one UTF-8 character: its continuation bytes, then its first byte.
    while (!shorter.empty() && (static_cast<unsigned char>(shorter.back()) & 0xC0) == 0x80) shorter.pop_back();
    if (!shorter.empty()) shorter.pop_back();
    const std::string candidate = shorter + "\xE2\x80\xA6";
    if (ImGui::CalcTextSize(candidate.c_str()).x <= max_width) return candidate;
  }
  return "";
}

void record_widget(Frame& f, const std::string& name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  f.view.widgets[name] = Rect{a.x, a.y, b.x - a.x, b.y - a.y};
}

}  // namespace harmonic::ui
