// Audio output through ALSA (libasound2): a playback thread pulls interleaved float
// PCM from the App and writes it to the "default" device. With no sound card (CI,
// Xvfb, a server) start() returns false and the App shows audio as unavailable.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace harmonic::native {

class AudioOutput {
 public:
  using Pull = std::function<void(float* out, int frames, int channels)>;

  // `device`: an ALSA PCM name ("default"; "null" plays into nothing, for tests).
  explicit AudioOutput(std::string device = "default") : device_(std::move(device)) {}
  ~AudioOutput() { stop(); }

  // Opens the device and starts pulling; false (with error()) when there is none.
  bool start(int sample_rate, int channels, Pull pull);
  void stop();
  bool running() const { return running_; }
  const std::string& error() const { return error_; }

 private:
  void play(void* pcm, int channels);

  std::thread thread_;
  std::atomic<bool> running_{false};
  std::atomic<bool> stop_{false};
  std::string device_;
  Pull pull_;
  std::string error_;
};

}  // namespace harmonic::native
