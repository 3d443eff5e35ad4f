#include "ui/quality_view.hpp"

#include "imgui.h"
#include "ui/view.hpp"

namespace harmonic::ui {

std::string quality_status_text(const QualityController& quality) {
  std::string text = "quality " + std::string(quality_name(quality.level()));
  if (quality.mode() != QualityMode::automatic) text += " (pinned)";
  return text;
}

void draw_quality_choice(Frame& f) {
  if (!f.quality) return;
  QualityController& quality = *f.quality;
  ImGui::Separator();
  ImGui::TextUnformatted("Rendering quality");
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("On this device only. Auto lowers glow, trails and resolution while frames are slow.\n"
                      "The simulation and the music are never affected.");
  }
  ImGui::SameLine();
  ImGui::TextDisabled("now %s · %.0f fps", std::string(quality_name(quality.level())).c_str(), quality.fps());
  // The choices on a line of their own: beside the label they do not fit a narrow panel.
  bool first = true;
  for (const QualityMode mode : {QualityMode::automatic, QualityMode::high, QualityMode::low}) {
    if (!first) ImGui::SameLine();
    first = false;
    const std::string name(quality_name(mode));
    std::string label = name;
    label[0] = char(label[0] - 'a' + 'A');
    if (ImGui::RadioButton(label.c_str(), quality.mode() == mode)) quality.set_mode(mode);
    record_widget(f, "quality." + name);
  }
}

nlohmann::json quality_status_json(const QualityController& quality) {
  return {{"level", std::string(quality_name(quality.level()))},
          {"mode", std::string(quality_name(quality.mode()))},
          {"fps", quality.fps()}};
}

}  // namespace harmonic::ui
