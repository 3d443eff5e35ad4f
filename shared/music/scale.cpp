#include "music/scale.hpp"

#include <cmath>

namespace harmonic::music {
namespace {

constexpr int kMajor[] = {0, 2, 4, 5, 7, 9, 11};
constexpr int kMinor[] = {0, 2, 3, 5, 7, 8, 10};
constexpr int kHarmonicMinor[] = {0, 2, 3, 5, 7, 8, 11};
constexpr int kMelodicMinor[] = {0, 2, 3, 5, 7, 9, 11};  // the ascending form
constexpr int kPentatonic[] = {0, 2, 4, 7, 9};            // major pentatonic
constexpr int kBlues[] = {0, 3, 5, 6, 7, 10};

} // namespace

std::span<const int> scale_intervals(Scale scale) {
  switch (scale) {
    case Scale::major: return kMajor;
    case Scale::minor: return kMinor;
    case Scale::harmonic_minor: return kHarmonicMinor;
    case Scale::melodic_minor: return kMelodicMinor;
    case Scale::pentatonic: return kPentatonic;
    case Scale::blues: return kBlues;
  }
  return kMajor;
}

int degree_to_midi(int degree, int lowest_tonic, Scale scale) {
  const auto intervals = scale_intervals(scale);
  const int n = static_cast<int>(intervals.size());
  const int octave = degree >= 0 ? degree / n : -((-degree + n - 1) / n);
  const int step = degree - octave * n;
  return lowest_tonic + 12 * octave + intervals[static_cast<size_t>(step)];
}

bool in_scale(int midi, Key key, Scale scale) {
  const int pitch_class = ((midi - static_cast<int>(key)) % 12 + 12) % 12;
  for (int interval : scale_intervals(scale)) {
    if (interval == pitch_class) return true;
  }
  return false;
}

double midi_to_hz(double midi) { return 440.0 * std::exp2((midi - 69.0) / 12.0); }

}  // namespace harmonic::music
