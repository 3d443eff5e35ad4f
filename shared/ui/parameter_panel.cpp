// The Parameters panel: the four categories, built from the schema table
// (docs/parameters.md).
#include "ui/parameter_panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "imgui.h"
#include "params/schema.hpp"
#include "ui/quality_view.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

using nlohmann::json;

namespace {

int decimals_for(const params::ParameterSpec& spec) {
  if (spec.step <= 0) return 2;
  int d = 0;
  double step = spec.step;
  while (step < 0.999 && d < 4) {
    step *= 10;
    ++d;
  }
  return d;
}

bool parse_hex_color(const std::string& text, float out[3]) {
  if (text.size() != 7 || text[0] != '#') return false;
  for (int i = 0; i < 3; ++i) {
    const int v = std::stoi(text.substr(std::size_t(1 + 2 * i), 2), nullptr, 16);
    out[i] = float(v) / 255.0f;
  }
  return true;
}

std::string to_hex_color(const float c[3]) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02X%02X%02X", int(std::lround(std::clamp(c[0], 0.0f, 1.0f) * 255)),
                int(std::lround(std::clamp(c[1], 0.0f, 1.0f) * 255)), int(std::lround(std::clamp(c[2], 0.0f, 1.0f) * 255)));
  return buffer;
}

// A slider's value is written beside it, not on it: ImGui draws the value over the
// grab, which hid it ("Field strength 0.00"). The slider keeps the format after
// "##" (drawn as nothing) so it still rounds to the step and Ctrl+click edits it.
void value_beside(float value_w, const char* text) {
  ImGui::SameLine();
  const float text_w = ImGui::CalcTextSize(text).x;
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, value_w - text_w));
  ImGui::TextUnformatted(text);
}

// A right click on a control (a long press on a touch screen, docs/client.md) opens its
// menu: for now, back to the schema's default.
constexpr const char* kMenuId = "##parameter_menu";

void parameter_menu(Frame& f, const std::string& cat, const params::ParameterSpec& spec) {
  if (!ImGui::BeginPopup(kMenuId)) return;
  const std::string name(spec.name);
  const json value = params::default_value(spec);
  const std::string shown = value.is_string() ? value.get<std::string>() : value.dump();
  const std::string label = "Reset to default (" + shown + ")";
  // Finger-sized where targets are (ui/layout.hpp): a Selectable is one text line high.
  ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0, 0.5f));
  if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(0, f.view.layout.min_hit))) {
    if (spec.type == params::ValueType::choice) f.client.choose_parameter(cat, name, value);
    else f.client.edit_parameter(cat, name, value);
  }
  ImGui::PopStyleVar();
  record_widget(f, "param.menu.reset");
  ImGui::EndPopup();
}

void parameter_row(Frame& f, const params::CategorySpec& category, const params::ParameterSpec& spec, float label_w,
                   float value_w) {
  const std::string cat(category.name), name(spec.name);
  const json value = f.client.displayed_parameter(cat, name);
  ImGui::PushID(name.c_str());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(std::string(spec.label).c_str());
  if (ImGui::IsItemHovered() && !spec.meaning.empty()) {
    ImGui::SetTooltip("%s\n(%s)", std::string(spec.meaning).c_str(), name.c_str());
  }
  ImGui::SameLine(label_w);
  const bool slider = spec.type == params::ValueType::real || spec.type == params::ValueType::integer;
  ImGui::SetNextItemWidth(slider ? -(value_w + ImGui::GetStyle().ItemSpacing.x) : -1);
  const std::string unit = spec.unit.empty() ? "" : " " + std::string(spec.unit);
  switch (spec.type) {
    case params::ValueType::real: {
      float v = value.is_number() ? value.get<float>() : float(spec.default_number);
      char format[32];
      std::snprintf(format, sizeof format, "##%%.%df%s", decimals_for(spec), unit.c_str());
      ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp;
      if (spec.logarithmic) flags |= ImGuiSliderFlags_Logarithmic;
      if (ImGui::SliderFloat("##v", &v, float(spec.min), float(spec.max), format, flags)) {
        f.client.edit_parameter(cat, name, double(v));
      }
      ImGui::OpenPopupOnItemClick(kMenuId);
      record_widget(f, "param." + cat + "." + name);
      char text[48];
      std::snprintf(text, sizeof text, format + 2, double(v));
      value_beside(value_w, text);
      break;
    }
    case params::ValueType::integer: {
      int v = value.is_number() ? value.get<int>() : int(spec.default_number);
      const std::string format = "##%d" + unit;
      ImGuiSliderFlags flags = ImGuiSliderFlags_AlwaysClamp;
      if (spec.logarithmic || spec.max / std::max(1.0, spec.min) > 1000) flags |= ImGuiSliderFlags_Logarithmic;
      if (ImGui::SliderInt("##v", &v, int(spec.min), int(spec.max), format.c_str(), flags)) {
        f.client.edit_parameter(cat, name, v);
      }
      ImGui::OpenPopupOnItemClick(kMenuId);
      record_widget(f, "param." + cat + "." + name);
      value_beside(value_w, (std::to_string(v) + unit).c_str());
      break;
    }
    case params::ValueType::choice: {
      const std::string current = value.is_string() ? value.get<std::string>() : std::string(spec.default_text);
      if (ImGui::BeginCombo("##v", current.c_str())) {
        for (const auto& choice : spec.choices) {
          const std::string c(choice);
          if (ImGui::Selectable(c.c_str(), c == current) && c != current) f.client.choose_parameter(cat, name, c);
        }
        ImGui::EndCombo();
      }
      break;
    }
    case params::ValueType::color: {
      float rgb[3] = {1, 1, 1};
      parse_hex_color(value.is_string() ? value.get<std::string>() : std::string(spec.default_text), rgb);
      if (ImGui::ColorEdit3("##v", rgb, ImGuiColorEditFlags_DisplayHex | ImGuiColorEditFlags_NoOptions)) {
        f.client.edit_parameter(cat, name, to_hex_color(rgb));
      }
      break;
    }
  }
  if (!slider) {
    ImGui::OpenPopupOnItemClick(kMenuId);
    record_widget(f, "param." + cat + "." + name);
  }
  parameter_menu(f, cat, spec);
  ImGui::PopID();
}

}  // namespace

void draw_parameter_panel(Frame& f, const UniverseLayout& l) {
  if (!begin_panel(f, l, "Parameters", "parameters", l.parameters, &f.view.show_parameters)) {
    ImGui::End();
    return;
  }
  if (ImGui::BeginTabBar("##categories")) {
    for (const auto& category : params::categories()) {
      const std::string label(category.label);
      const bool selected = ImGui::BeginTabItem(label.c_str());
      record_widget(f, "tab." + std::string(category.name));  // so scripts can switch tabs
      if (!selected) continue;
      ImGui::BeginChild("##rows", ImVec2(0, -(ImGui::GetFrameHeightWithSpacing() + 4)), false);
      ImGui::BeginDisabled(f.state.read_only || !f.state.joined);
      const float label_w = std::min(150.0f, ImGui::GetContentRegionAvail().x * 0.42f);
      // Wide enough for the longest value ("10000 particles" is not one; "440.0 Hz" is).
      const float value_w = ImGui::CalcTextSize("00000.00 Hz").x;
      for (const auto& spec : category.parameters) parameter_row(f, category, spec, label_w, value_w);
      ImGui::EndDisabled();
      if (category.name == params::table::visualization_name) draw_quality_choice(f);
      ImGui::EndChild();
      ImGui::BeginDisabled(f.state.read_only || !f.state.joined);
      const std::string reset = "Reset " + label + " to defaults";
      if (ImGui::Button(reset.c_str(), ImVec2(-1, 0))) f.client.reset_category(std::string(category.name));
      record_widget(f, "reset." + std::string(category.name));
      ImGui::EndDisabled();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace harmonic::ui
