// Adaptive quality in the UI (docs/client.md, "Adaptive quality"): the level in the
// status line, the pin in the Visualization panel, the numbers in status(). The panels
// call these so their own files hold only one line each.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ui/quality_controller.hpp"

namespace harmonic::ui {

struct Frame;

// For the status line: "quality high" or "quality low (pinned)".
std::string quality_status_text(const QualityController& quality);
// Auto / High / Low radio buttons (widgets "quality.auto", "quality.high", "quality.low").
void draw_quality_choice(Frame& f);
// {"level": "medium", "mode": "auto", "fps": 27.5} for window.harmonic.status().ui.quality.
nlohmann::json quality_status_json(const QualityController& quality);

}  // namespace harmonic::ui
