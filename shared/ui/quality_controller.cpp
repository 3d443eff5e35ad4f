#include "ui/quality_controller.hpp"

#include <algorithm>
#include <array>

namespace harmonic::ui {

namespace {

// Cheaper by fill first: on software GL (SwiftShader) the time goes into shading the
// pixels of the halos and the full-screen trail passes (docs/client.md, "Adaptive quality").
constexpr std::array<RenderOptions, kQualityLevels> kOptions = {{
    // render_scale, trails, halo, sprite, stride, panel_layers
    {1.0f, true, 1.0f, 1.0f, 1, true},    // high: the full look
    {0.75f, true, 0.6f, 1.0f, 1, true},   // medium
    {0.5f, true, 0.3f, 1.0f, 1, false},   // low
    {1.0f, false, 0.0f, 0.9f, 2, false},  // minimal: no trail layer, so nothing to scale
}};
constexpr std::array<std::string_view, kQualityLevels> kLevelNames = {"high", "medium", "low", "minimal"};
constexpr std::array<std::string_view, 3> kModeNames = {"auto", "high", "low"};

}  // namespace

RenderOptions render_options(QualityLevel level) { return kOptions[static_cast<std::size_t>(level)]; }

std::string_view quality_name(QualityLevel level) { return kLevelNames[static_cast<std::size_t>(level)]; }
std::string_view quality_name(QualityMode mode) { return kModeNames[static_cast<std::size_t>(mode)]; }

std::optional<QualityMode> parse_quality_mode(std::string_view text) {
  for (std::size_t i = 0; i < kModeNames.size(); ++i) {
    if (kModeNames[i] == text) return static_cast<QualityMode>(i);
  }
  return std::nullopt;
}

QualityController::QualityController(Tuning tuning) : tuning_(tuning), up_after_s_(tuning.up_after_s) {}

QualityLevel QualityController::level() const {
  switch (mode_) {
    case QualityMode::high: return QualityLevel::high;
    case QualityMode::low: return QualityLevel::low;
    case QualityMode::automatic: break;
  }
  return static_cast<QualityLevel>(level_);
}

void QualityController::set_mode(QualityMode mode) {
  if (mode == mode_) return;
  if (mode == QualityMode::automatic) level_ = static_cast<int>(level());
  mode_ = mode;
  over_s_ = headroom_s_ = 0;
  up_after_s_ = tuning_.up_after_s;
}

void QualityController::frame(double frame_ms) {
  if (!(frame_ms > 0) || frame_ms > tuning_.ignored_frame_s * 1000) return;
  window_ms_ += frame_ms;
  ++window_frames_;
  if (window_ms_ >= tuning_.window_s * 1000) end_window();
}

void QualityController::end_window() {
  const double seconds = window_ms_ / 1000;
  const double mean_ms = window_ms_ / window_frames_;
  fps_ = window_frames_ / seconds;
  clock_s_ += seconds;
  window_ms_ = 0;
  window_frames_ = 0;
  if (mode_ != QualityMode::automatic) return;

  if (mean_ms > tuning_.budget_ms) {
    over_s_ += seconds;
    headroom_s_ = 0;
  } else if (mean_ms < tuning_.budget_ms * tuning_.headroom) {
    headroom_s_ += seconds;
    over_s_ = 0;
  } else {
    // Within budget without room to spare: where a level should stay.
    over_s_ = headroom_s_ = 0;
  }
  if (over_s_ >= tuning_.down_after_s - 1e-9 && level_ < kQualityLevels - 1) step_down();
  else if (headroom_s_ >= up_after_s_ - 1e-9 && level_ > 0) step_up();
}

void QualityController::step_down() {
  // Undoing a recent step up: that level does not fit, so wait longer before the next
  // try (no oscillation). A slowdown long after is a new situation: the usual wait.
  const bool undo = clock_s_ - last_up_s_ <= tuning_.probation_s;
  up_after_s_ = undo ? std::min(up_after_s_ * 2, tuning_.max_up_after_s) : tuning_.up_after_s;
  ++level_;
  over_s_ = headroom_s_ = 0;
}

void QualityController::step_up() {
  --level_;
  last_up_s_ = clock_s_;
  over_s_ = headroom_s_ = 0;
}

}  // namespace harmonic::ui
