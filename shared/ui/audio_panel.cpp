// The Sound panel: start button, beat, waveform and spectrum.
#include "ui/audio_panel.hpp"

#include <algorithm>
#include <cmath>

#include "imgui.h"
#include "ui/widgets.hpp"

namespace harmonic::ui {

void draw_audio_panel(Frame& f, const UniverseLayout& l) {
  if (!begin_panel(f, l, "Sound", "audio", l.audio, &f.view.show_audio)) {
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
  row_dot(IM_COL32(71, 179, 255, int(60 + 195 * flash)), 6);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(a.now_playing.c_str());
  const float plot_w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  // The compact sheet is tall: a plot taller than this only stretches the line.
  const float plot_h = std::min(ImGui::GetContentRegionAvail().y - 4, 160.0f);
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

}  // namespace harmonic::ui
