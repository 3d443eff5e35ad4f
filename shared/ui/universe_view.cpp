// The open universe: the canvas, then the panels where the layout puts them
// (ui/layout.hpp). Each panel lives in its own file.
#include <algorithm>
#include <cstdio>

#include "imgui.h"
#include "ui/audio_panel.hpp"
#include "ui/canvas.hpp"
#include "ui/layout.hpp"
#include "ui/parameter_panel.hpp"
#include "ui/quality_controller.hpp"
#include "ui/quality_view.hpp"
#include "ui/sheet_tabs.hpp"
#include "ui/side_panel.hpp"
#include "ui/top_bar.hpp"
#include "ui/view.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

void draw_universe_screen(Frame& f) {
  auto& view = f.view;
  const PanelsShown shown{view.show_parameters, view.show_side, view.show_audio, view.sheet, view.sheet_open};
  const UniverseLayout l = universe_layout(f.display(), shown);
  view.layout = l;
  view.layout_shown = shown;
  canvas_input(f);
  world_frame(f);
  draw_cursors_overlay(f);
  {
    // At the lower quality levels the panels draw one layer less (docs/client.md,
    // "Adaptive quality"): on software GL their blended pixels cost about as much as the
    // particles do there.
    const bool panel_layers = !f.quality || render_options(f.quality->level()).panel_layers;
    if (!panel_layers) ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0, 0, 0, 0));
    const HitTargetStyle hit_targets(l.min_hit);
    draw_top_bar(f, l);
    if (visible(l.parameters)) draw_parameter_panel(f, l);
    if (visible(l.side)) draw_side_panel(f, l);
    if (visible(l.audio)) draw_audio_panel(f, l);
    if (l.mode == LayoutMode::compact) draw_sheet_tabs(f, l);
    if (!panel_layers) ImGui::PopStyleColor();
  }
  const Rect& canvas = l.canvas;
  if (!f.state.joined && f.state.connection == client::ConnectionStatus::connected) {
    ImGui::SetNextWindowPos(ImVec2(canvas.x + canvas.w * 0.5f, canvas.y + canvas.h * 0.5f), ImGuiCond_Always,
                            ImVec2(0.5f, 0.5f));
    ImGui::Begin("##joining", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                           ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted("Opening the universe…");
    ImGui::End();
  }
  // The visualizer's status line, quietly, right-aligned in the strip the layout keeps
  // for it (ui/layout.hpp: in the compact layout it is outside the world's area).
  char info[128];
  std::snprintf(info, sizeof info, "%zu particles · %.0f fps · zoom %.1fx · %s", f.particle_count, f.fps,
                view.camera.zoom(), f.quality ? quality_status_text(*f.quality).c_str() : "");
  ImGui::PushFont(f.fonts.small);
  const Rect& strip = l.status_line;
  const ImVec2 size = ImGui::CalcTextSize(info);
  const ImVec2 at(std::max(strip.x + 8, strip.x + strip.w - 12 - size.x), strip.y + (strip.h - size.y) * 0.5f);
  ImGui::GetBackgroundDrawList()->AddText(at, IM_COL32(160, 170, 190, 150), info);
  view.widgets["canvas.status"] = Rect{at.x, at.y, size.x, size.y};  // where the text went, for tests
  ImGui::PopFont();
}

}  // namespace harmonic::ui
