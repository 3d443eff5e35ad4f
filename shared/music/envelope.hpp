// ADSR envelope with linear segments, advanced one sample at a time.
// Release starts from whatever level the envelope has reached, so a note released
// during its attack fades from there instead of jumping.
#pragma once

#include <algorithm>

namespace harmonic::music {

class Envelope {
 public:
  enum class Stage { idle, attack, decay, sustain, release };

  // Times in seconds (> 0), sustain level 0..1.
  void configure(double attack, double decay, double sustain, double release, double sample_rate) {
    attack_step_ = static_cast<float>(1.0 / std::max(1.0, attack * sample_rate));
    decay_time_samples_ = std::max(1.0, decay * sample_rate);
    release_time_samples_ = std::max(1.0, release * sample_rate);
    sustain_ = static_cast<float>(sustain);
    decay_step_ = static_cast<float>((1.0 - sustain) / decay_time_samples_);
  }

  void note_on() { stage_ = Stage::attack; }
  void note_off() {
    if (stage_ == Stage::idle) return;
    stage_ = Stage::release;
    release_step_ = static_cast<float>(level_ / release_time_samples_);
  }

  float next() {
    switch (stage_) {
      case Stage::idle: return 0.0f;
      case Stage::attack:
        level_ += attack_step_;
        if (level_ >= 1.0f) {
          level_ = 1.0f;
          stage_ = Stage::decay;
        }
        break;
      case Stage::decay:
        level_ -= decay_step_;
        if (level_ <= sustain_) {
          level_ = sustain_;
          stage_ = Stage::sustain;
        }
        break;
      case Stage::sustain: level_ = sustain_; break;
      case Stage::release:
        level_ -= release_step_;
        if (level_ <= 0.0f) {
          level_ = 0.0f;
          stage_ = Stage::idle;
        }
        break;
    }
    return level_;
  }

  Stage stage() const { return stage_; }
  bool active() const { return stage_ != Stage::idle; }
  float level() const { return level_; }
  void reset() {
    stage_ = Stage::idle;
    level_ = 0.0f;
  }

 private:
  Stage stage_ = Stage::idle;
  float level_ = 0.0f;
  float attack_step_ = 1.0f, decay_step_ = 0.0f, release_step_ = 0.0f, sustain_ = 1.0f;
  double decay_time_samples_ = 1.0, release_time_samples_ = 1.0;
};

}  // namespace harmonic::music
