// Adaptive rendering quality (docs/client.md, "Adaptive quality"): measures the time
// between frames and steps the visualizer's quality down when frames miss their budget
// for a couple of seconds, and back up when there is headroom. Only the look of the
// particle layer changes; the simulation and the music never do. Pure logic: no GL, no
// ImGui, no clock (the caller hands in each frame's duration).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace harmonic::ui {

// From the full look down to the cheapest; each level costs less than the one before.
enum class QualityLevel { high, medium, low, minimal };
inline constexpr int kQualityLevels = 4;

// What the person chose in the Visualization panel: follow the measurements, or hold a
// level whatever the frame rate.
enum class QualityMode { automatic, high, low };

// How the visualizer draws at a level (applied in shared/ui/visualizer.cpp).
struct RenderOptions {  // field order: the initialisers in quality_controller.cpp
  float render_scale = 1;  // size of the trail layer relative to the framebuffer (upscaled after)
  bool trails = true;      // false: no layer at all, the particles are drawn straight to the screen
  float halo = 1;          // extent of each particle's glow halo (0: the bright core only)
  float sprite = 1;        // core radius multiplier
  int stride = 1;          // draw every stride-th particle once there are more than kStrideFrom
  // false: the panels' nested backgrounds (child regions: the parameter rows, the chat
  // list) are not drawn over their window's, one panel-sized layer less to blend.
  bool panel_layers = true;
};
inline constexpr std::size_t kStrideFrom = 4000;

RenderOptions render_options(QualityLevel level);

std::string_view quality_name(QualityLevel level);  // "high", "medium", "low", "minimal"
std::string_view quality_name(QualityMode mode);    // "auto", "high", "low"
// The inverse of quality_name(QualityMode), for the saved setting; nullopt if unknown.
std::optional<QualityMode> parse_quality_mode(std::string_view text);

class QualityController {
 public:
  struct Tuning {
    // Frames slower than this on average miss the budget: about 28 fps, a little under 30
    // so that a browser pacing frames at exactly 30 fps (power saving) does not count.
    double budget_ms = 36;
    double headroom = 0.6;           // frames under budget * headroom leave room for more
    double window_s = 0.5;           // frames are averaged over windows this long
    double down_after_s = 2;         // over budget this long: one level down
    double up_after_s = 4;           // with headroom this long: one level up...
    double max_up_after_s = 64;      // ...doubled after each step up that had to be undone, up to this
    double probation_s = 10;         // a step down this soon after a step up undoes it
    double ignored_frame_s = 1;      // longer gaps are a hidden page or a debugger, not slowness
  };

  QualityController() : QualityController(Tuning{}) {}
  explicit QualityController(Tuning tuning);

  // One frame took `frame_ms` (the time since the previous frame started).
  void frame(double frame_ms);

  QualityLevel level() const;
  QualityMode mode() const { return mode_; }
  // Pinning holds the level; going back to automatic starts from the pinned level with
  // fresh measurements.
  void set_mode(QualityMode mode);
  // Frames per second over the last complete window (0 before the first).
  double fps() const { return fps_; }
  // The current wait for headroom before a step up (grows after undone step-ups).
  double up_after_s() const { return up_after_s_; }

 private:
  void end_window();
  void step_down();
  void step_up();

  Tuning tuning_;
  QualityMode mode_ = QualityMode::automatic;
  int level_ = 0;  // index of QualityLevel
  double window_ms_ = 0;
  int window_frames_ = 0;
  double fps_ = 0;
  double over_s_ = 0;      // consecutive time over budget
  double headroom_s_ = 0;  // consecutive time with headroom
  double clock_s_ = 0;     // measured time, for the probation of a step up
  double last_up_s_ = -1e9;
  double up_after_s_ = 0;
};

}  // namespace harmonic::ui
