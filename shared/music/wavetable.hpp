// Band-limited oscillator tables.
//
// A naive sawtooth or square has harmonics far above the Nyquist frequency
// (24 kHz) that fold back as inharmonic "aliasing hiss". Each table here is built
// by adding sine harmonics up to a limit (1, 2, 4 ... 512 of them); an oscillator
// plays the richest table whose highest harmonic stays below 20 kHz at its pitch,
// so nothing above Nyquist is ever produced. Tables are 4096 samples long, enough
// that linear interpolation adds images only ~90 dB down.
#pragma once

#include "music/settings.hpp"

#include <cstdint>

namespace harmonic::music {

class WavetableBank {
 public:
  static constexpr int kSize = 4096;        // samples per cycle (power of two)
  static constexpr int kLevels = 10;        // 2^0 .. 2^9 harmonics
  static constexpr double kHighestHarmonicHz = 20000.0;

  // Built once on first use (about 10 ms), then shared read-only.
  static const WavetableBank& instance();

  // The table to use for `waveform` at `frequency_hz`: kSize + 1 samples (the
  // last repeats the first so interpolation needs no wrap).
  const float* table(Waveform waveform, double frequency_hz) const;

 private:
  WavetableBank();
  float tables_[4][kLevels][kSize + 1];
};

// Reads a table at `phase` in [0, 1) with linear interpolation.
inline float read_table(const float* table, double phase) {
  const double position = phase * WavetableBank::kSize;
  const int index = static_cast<int>(position);
  const float fraction = static_cast<float>(position - index);
  return table[index] + fraction * (table[index + 1] - table[index]);
}

}  // namespace harmonic::music
