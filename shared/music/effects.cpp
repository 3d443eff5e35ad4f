#include "music/effects.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::music {
namespace {

// Recirculating buffers decay into denormal numbers, which are very slow on some
// CPUs; flush them to zero (this also makes "silence in" give exact zeros out).
inline float flush_denormal(float v) { return std::fabs(v) < 1e-15f ? 0.0f : v; }

// Freeverb's tunings at 44.1 kHz, scaled to the actual rate.
constexpr int kCombTunings[8] = {1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617};
constexpr int kAllPassTunings[4] = {556, 441, 341, 225};
constexpr float kCombFeedback = 0.84f;
constexpr float kCombDamping = 0.2f;
constexpr float kAllPassFeedback = 0.5f;
constexpr float kReverbInputGain = 0.015f;  // eight combs sum loudly

size_t scaled(int samples_at_44k, double sample_rate) {
  return static_cast<size_t>(std::lround(samples_at_44k * sample_rate / 44100.0));
}

} // namespace

Echo::Echo(double sample_rate)
    : sample_rate_(sample_rate), buffer_(static_cast<size_t>(2.0 * sample_rate) + 1, 0.0f) {}

void Echo::configure(double delay_seconds, double feedback) {
  const double max_delay = static_cast<double>(buffer_.size() - 1);
  delay_samples_ = static_cast<size_t>(std::clamp(std::lround(delay_seconds * sample_rate_), 0L,
                                                  static_cast<long>(max_delay)));
  feedback_ = static_cast<float>(std::clamp(feedback, 0.0, 0.95));
}

float Echo::process(float input) {
  if (delay_samples_ == 0) return input;
  size_t read = write_ + buffer_.size() - delay_samples_;
  if (read >= buffer_.size()) read -= buffer_.size();
  const float echoed = feedback_ * buffer_[read];
  buffer_[write_] = flush_denormal(input + echoed);
  if (++write_ == buffer_.size()) write_ = 0;
  return input + echoed;
}

void Echo::reset() {
  std::fill(buffer_.begin(), buffer_.end(), 0.0f);
  write_ = 0;
}

Reverb::Reverb(double sample_rate) {
  for (size_t i = 0; i < combs_.size(); ++i) {
    combs_[i].buffer.assign(scaled(kCombTunings[i], sample_rate), 0.0f);
  }
  for (size_t i = 0; i < allpasses_.size(); ++i) {
    allpasses_[i].buffer.assign(scaled(kAllPassTunings[i], sample_rate), 0.0f);
  }
}

void Reverb::configure(double amount) {
  wet_ = static_cast<float>(std::clamp(amount, 0.0, 1.0));
  dry_ = 1.0f - 0.5f * wet_;  // keep the total level roughly constant
}

float Reverb::process(float input) {
  if (wet_ == 0.0f) return input;
  const float fed = input * kReverbInputGain;
  float sum = 0.0f;
  for (Comb& c : combs_) {
    const float out = c.buffer[c.index];
    c.filter_state = flush_denormal(out * (1.0f - kCombDamping) + c.filter_state * kCombDamping);
    c.buffer[c.index] = flush_denormal(fed + c.filter_state * kCombFeedback);
    if (++c.index == c.buffer.size()) c.index = 0;
    sum += out;
  }
  for (AllPass& a : allpasses_) {
    const float buffered = a.buffer[a.index];
    a.buffer[a.index] = flush_denormal(sum + buffered * kAllPassFeedback);
    if (++a.index == a.buffer.size()) a.index = 0;
    sum = buffered - sum;
  }
  return dry_ * input + wet_ * sum * 4.0f;
}

void Reverb::reset() {
  for (Comb& c : combs_) {
    std::fill(c.buffer.begin(), c.buffer.end(), 0.0f);
    c.filter_state = 0;
  }
  for (AllPass& a : allpasses_) std::fill(a.buffer.begin(), a.buffer.end(), 0.0f);
}

Limiter::Limiter(double sample_rate)
    : release_coefficient_(static_cast<float>(std::exp(-1.0 / (0.15 * sample_rate)))) {}

float Limiter::process(float input) {
  const float peak = std::fabs(input);
  envelope_ = std::max(peak, flush_denormal(envelope_ * release_coefficient_));
  const float gain = envelope_ > kCeiling ? kCeiling / envelope_ : 1.0f;
  return input * gain;
}

}  // namespace harmonic::music
