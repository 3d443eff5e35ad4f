#include "native/alsa_audio_output.hpp"

#include <cstdio>
#include <vector>

#include <alsa/asoundlib.h>

namespace harmonic::native {

namespace {
// ALSA prints its own diagnostics to stderr when a device is missing; the App already
// tells the person, so keep the terminal quiet.
void quiet_alsa(const char*, int, const char*, int, const char*, ...) {}
}  // namespace

bool AlsaAudioOutput::start(int sample_rate, int channels, frontend::AudioPull pull) {
  if (running_) return true;
  stop();
  snd_lib_error_set_handler(quiet_alsa);
  snd_pcm_t* pcm = nullptr;
  int rc = snd_pcm_open(&pcm, device_.c_str(), SND_PCM_STREAM_PLAYBACK, 0);
  if (rc < 0) {
    error_ = std::string("no audio device: ") + snd_strerror(rc);
    std::fprintf(stderr, "harmonic-desktop: %s\n", error_.c_str());
    return false;
  }
  // ~60 ms of buffering: low enough to feel live, high enough for a busy frame.
  rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_FLOAT_LE, SND_PCM_ACCESS_RW_INTERLEAVED, unsigned(channels),
                          unsigned(sample_rate), 1, 60000);
  if (rc < 0) {
    error_ = std::string("audio device refused the format: ") + snd_strerror(rc);
    std::fprintf(stderr, "harmonic-desktop: %s\n", error_.c_str());
    snd_pcm_close(pcm);
    return false;
  }
  pull_ = std::move(pull);
  stop_ = false;
  running_ = true;
  thread_ = std::thread([this, pcm, channels] { play(pcm, channels); });
  return true;
}

void AlsaAudioOutput::play(void* handle, int channels) {
  auto* pcm = static_cast<snd_pcm_t*>(handle);
  constexpr int kFrames = 512;
  std::vector<float> block(std::size_t(kFrames * channels));
  while (!stop_) {
    pull_(block.data(), kFrames, channels);
    const float* p = block.data();
    int left = kFrames;
    while (left > 0 && !stop_) {
      snd_pcm_sframes_t n = snd_pcm_writei(pcm, p, snd_pcm_uframes_t(left));
      if (n < 0) n = snd_pcm_recover(pcm, int(n), 1);  // underrun or suspend
      if (n < 0) {
        error_ = std::string("audio output failed: ") + snd_strerror(int(n));
        stop_ = true;
        break;
      }
      p += n * channels;
      left -= int(n);
    }
  }
  snd_pcm_drop(pcm);
  snd_pcm_close(pcm);
  running_ = false;
}

void AlsaAudioOutput::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  running_ = false;
}

}  // namespace harmonic::native
