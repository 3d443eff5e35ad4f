// Resonant low-pass: the topology-preserving state-variable filter (Zavalishin,
// "The Art of VA Filter Design"; Simper's SVF form). Unlike the classic
// Chamberlin SVF it stays stable at every cutoff up to Nyquist and under fast
// modulation, which the LFO does every control block.
#pragma once

#include <algorithm>
#include <cmath>

namespace harmonic::music {

class LowPassFilter {
 public:
  // resonance 0..1 maps to Q 0.5..10: audible peak, never self-oscillating.
  // Costs a tan(): compute once per control block and copy_coefficients() to voices.
  void configure(double cutoff_hz, double resonance, double sample_rate) {
    constexpr double kPi = 3.14159265358979323846;
    const double fc = std::clamp(cutoff_hz, 10.0, 0.45 * sample_rate);
    const double g = std::tan(kPi * fc / sample_rate);
    const double k = 2.0 - 1.9 * std::clamp(resonance, 0.0, 1.0);
    a1_ = static_cast<float>(1.0 / (1.0 + g * (g + k)));
    a2_ = static_cast<float>(g * a1_);
    a3_ = static_cast<float>(g * a2_);
  }

  float process(float input) {
    const float v3 = input - ic2_;
    const float v1 = a1_ * ic1_ + a2_ * v3;
    const float v2 = ic2_ + a2_ * ic1_ + a3_ * v3;
    ic1_ = 2.0f * v1 - ic1_;
    ic2_ = 2.0f * v2 - ic2_;
    return v2;
  }

  void copy_coefficients(const LowPassFilter& other) {
    a1_ = other.a1_;
    a2_ = other.a2_;
    a3_ = other.a3_;
  }

  void reset() { ic1_ = ic2_ = 0.0f; }

 private:
  float a1_ = 1, a2_ = 0, a3_ = 0;
  float ic1_ = 0, ic2_ = 0;
};

}  // namespace harmonic::music
