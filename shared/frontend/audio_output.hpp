// Sound output: the platform pulls interleaved float PCM (-1..1) from the App
// (web: WebAudio, desktop: ALSA).
#pragma once

#include <functional>

namespace harmonic::frontend {

// Fills `out` with `frames` frames of `channels` samples each.
using AudioPull = std::function<void(float* out, int frames, int channels)>;

class AudioOutput {
 public:
  virtual ~AudioOutput() = default;
  // Starts output at `sample_rate` (on the web it must be called from a user
  // gesture); false when the platform has no audio.
  virtual bool start(int sample_rate, int channels, AudioPull pull) = 0;
  virtual void stop() = 0;
  virtual bool running() const = 0;
};

}  // namespace harmonic::frontend
