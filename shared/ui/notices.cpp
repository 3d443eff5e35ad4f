// Toasts: the client's notices, newest on top of the stack.
#include "ui/notices.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "ui/display_text.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

// Toasts stack upwards from the bottom centre of the canvas the layout leaves (between
// the panels, above the compact tab bar or sheet): the top of every screen holds its
// header and the sides hold panels. Outside a universe that is the window's bottom,
// where the list screen leaves a strip for them (kToastStrip).
void draw_notices(Frame& f) {
  const Rect& canvas = f.view.layout.canvas;
  float bottom = canvas.y + canvas.h - kToastMargin;
  const float width = std::min(360.0f, std::max(200.0f, canvas.w - 24));
  const float x = canvas.x + canvas.w * 0.5f - width * 0.5f;
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
    // The close button is finger-sized where targets are (ui/layout.hpp, min_hit), and
    // the title centred on its row.
    const float hit = f.view.layout.min_hit;
    if (hit > 0) {
      ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x,
                                                             std::max(0.0f, (hit - ImGui::GetFontSize()) * 0.5f)));
      ImGui::AlignTextToFramePadding();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(accent));
    ImGui::TextUnformatted(n.title.c_str());
    ImGui::PopStyleColor();
    if (hit > 0) {
      ImGui::SameLine(width - hit - ImGui::GetStyle().WindowPadding.x);
      if (ImGui::Button("x", ImVec2(hit, hit))) f.client.dismiss_notice(i);
      ImGui::PopStyleVar();
    } else {
      ImGui::SameLine(width - 34);
      if (ImGui::SmallButton("x")) f.client.dismiss_notice(i);
    }
    record_widget(f, "notice." + std::to_string(i) + ".close");
    if (const std::string text = notice_text(n); !text.empty()) {
      ImGui::PushTextWrapPos(width - 16);
      ImGui::TextUnformatted(text.c_str());
      ImGui::PopTextWrapPos();
    }
    const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    f.view.widgets["notice." + std::to_string(i)] = Rect{pos.x, pos.y, size.x, size.y};
    bottom -= size.y + 6;
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
  }
}

}  // namespace harmonic::ui
