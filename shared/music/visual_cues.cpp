#include "music/visual_cues.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::music {

double beat_phase(double seconds, int tempo) {
  const double beats = seconds * std::clamp(tempo, 1, 1000) / 60.0;
  return beats - std::floor(beats);
}

float beat_pulse(double seconds, int tempo) {
  const auto remaining = static_cast<float>(1.0 - beat_phase(seconds, tempo));
  return remaining * remaining * remaining * remaining;
}

float key_hue_degrees(Key key) {
  // Steps around the circle of fifths: 7 semitones per step, 7 is its own inverse mod 12.
  const int position = (static_cast<int>(key) * 7) % 12;
  return 30.0f * static_cast<float>(position);
}

}  // namespace harmonic::music
