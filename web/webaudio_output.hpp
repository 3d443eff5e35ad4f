// The browser's frontend::AudioOutput: a WebAudio context whose ScriptProcessor asks
// for blocks through main.cpp's harmonic_audio_render, which calls fill().
#pragma once

#include "frontend/audio_output.hpp"

namespace harmonic::web {

class WebAudioOutput final : public frontend::AudioOutput {
 public:
  bool start(int sample_rate, int channels, frontend::AudioPull pull) override;
  void stop() override;
  bool running() const override;

  // Called from JavaScript for each block: `frames` frames of interleaved PCM.
  void fill(float* out, int frames);
  int channels() const { return channels_; }

 private:
  frontend::AudioPull pull_;
  int channels_ = 2;
};

}  // namespace harmonic::web
