// The master effects after the voices are mixed: echo, reverb and a limiter.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace harmonic::music {

// Feedback echo: each repeat is `feedback` times the previous one, so feedback 0
// means no echo at all and delay_time 0 bypasses it.
class Echo {
 public:
  explicit Echo(double sample_rate);
  void configure(double delay_seconds, double feedback);
  float process(float input);
  void reset();

 private:
  double sample_rate_;
  std::vector<float> buffer_;
  size_t write_ = 0;
  size_t delay_samples_ = 0;
  float feedback_ = 0;
};

// Schroeder/Moorer reverb in the Freeverb arrangement: eight damped comb filters
// in parallel, then four all-passes in series. Mono; `amount` is the wet mix.
class Reverb {
 public:
  explicit Reverb(double sample_rate);
  void configure(double amount);
  float process(float input);
  void reset();

 private:
  struct Comb {
    std::vector<float> buffer;
    size_t index = 0;
    float filter_state = 0;
  };
  struct AllPass {
    std::vector<float> buffer;
    size_t index = 0;
  };
  std::array<Comb, 8> combs_;
  std::array<AllPass, 4> allpasses_;
  float wet_ = 0, dry_ = 1;
};

// Peak limiter with instant attack: the gain is computed from the current sample,
// so the output never exceeds the ceiling (0.95, about -0.4 dBFS). Release 150 ms.
class Limiter {
 public:
  explicit Limiter(double sample_rate);
  float process(float input);
  void reset() { envelope_ = 0; }
  static constexpr float kCeiling = 0.95f;

 private:
  float envelope_ = 0;
  float release_coefficient_;
};

}  // namespace harmonic::music
