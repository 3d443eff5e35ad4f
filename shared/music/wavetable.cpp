#include "music/wavetable.hpp"

#include <cmath>
#include <vector>

namespace harmonic::music {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Amplitude of harmonic k (1-based) in the Fourier series of each waveform.
double harmonic_amplitude(Waveform waveform, int k) {
  switch (waveform) {
    case Waveform::sine: return k == 1 ? 1.0 : 0.0;
    case Waveform::square: return (k % 2 == 1) ? 4.0 / (kPi * k) : 0.0;
    case Waveform::sawtooth: return ((k % 2 == 1) ? 2.0 : -2.0) / (kPi * k);
    case Waveform::triangle:
      return (k % 2 == 1) ? ((k % 4 == 1) ? 8.0 : -8.0) / (kPi * kPi * k * k) : 0.0;
  }
  return 0.0;
}

} // namespace

const WavetableBank& WavetableBank::instance() {
  static const WavetableBank* bank = new WavetableBank();  // never destroyed: used at exit
  return *bank;
}

WavetableBank::WavetableBank() {
  // sin(2 pi k n / N) == sine[(k n) mod N]: one sine table serves every harmonic.
  std::vector<double> sine(kSize);
  for (int n = 0; n < kSize; ++n) sine[n] = std::sin(2.0 * kPi * n / kSize);

  std::vector<double> cycle(kSize);
  for (int w = 0; w < 4; ++w) {
    const auto waveform = static_cast<Waveform>(w);
    for (int level = 0; level < kLevels; ++level) {
      const int harmonics = 1 << level;
      std::fill(cycle.begin(), cycle.end(), 0.0);
      for (int k = 1; k <= harmonics; ++k) {
        const double a = harmonic_amplitude(waveform, k);
        if (a == 0.0) continue;
        for (int n = 0; n < kSize; ++n) cycle[n] += a * sine[(static_cast<int64_t>(k) * n) % kSize];
      }
      // Normalise to a peak of 1: Gibbs ripple would otherwise overshoot.
      double peak = 0;
      for (double v : cycle) peak = std::max(peak, std::fabs(v));
      const double scale = peak > 0 ? 1.0 / peak : 0.0;
      for (int n = 0; n < kSize; ++n) tables_[w][level][n] = static_cast<float>(cycle[n] * scale);
      tables_[w][level][kSize] = tables_[w][level][0];
    }
  }
}

const float* WavetableBank::table(Waveform waveform, double frequency_hz) const {
  int level = kLevels - 1;
  while (level > 0 && (1 << level) * frequency_hz > kHighestHarmonicHz) --level;
  return tables_[static_cast<int>(waveform)][level];
}

}  // namespace harmonic::music
