// The desktop's frontend::AudioOutput, through ALSA (libasound2): a playback thread
// pulls interleaved float PCM from the App and writes it to the "default" device.
// With no sound card (CI, Xvfb, a server) start() returns false (the reason on
// stderr) and the App shows audio as unavailable.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "frontend/audio_output.hpp"

namespace harmonic::native {

class AlsaAudioOutput final : public frontend::AudioOutput {
 public:
  // `device`: an ALSA PCM name ("default"; "null" plays into nothing, for tests).
  explicit AlsaAudioOutput(std::string device = "default") : device_(std::move(device)) {}
  ~AlsaAudioOutput() override { stop(); }

  // Opens the device and starts pulling; false (with error()) when there is none.
  bool start(int sample_rate, int channels, frontend::AudioPull pull) override;
  void stop() override;
  bool running() const override { return running_; }
  const std::string& error() const { return error_; }

 private:
  void play(void* pcm, int channels);

  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> stop_{false};
  std::string device_;
  frontend::AudioPull pull_;
  std::string error_;
};

}  // namespace harmonic::native
