#include "frontend/sound.hpp"

#include <algorithm>
#include <cmath>

#include "music/visual_cues.hpp"
#include "universe/settings_from_parameters.hpp"

namespace harmonic::frontend {

namespace {
constexpr float kPi = 3.14159265358979f;
}  // namespace

float key_hue(const std::string& key) {
  const auto parsed = music::parse_key(key);
  return parsed ? music::key_hue_degrees(*parsed) / 360.0f : 0.0f;
}

SoundEngine::SoundEngine(int sample_rate)
    : sample_rate_(sample_rate),
      music_(std::make_unique<music::UniverseMusic>(seed_, music_settings_, audio_settings_)),
      history_(static_cast<std::size_t>(sample_rate), 0.0f) {}

void SoundEngine::set_seed(std::uint64_t seed) {
  std::lock_guard lock(mutex_);
  if (seed == seed_) return;
  seed_ = seed;
  music_ = std::make_unique<music::UniverseMusic>(seed_, music_settings_, audio_settings_);
}

void SoundEngine::set_parameters(const nlohmann::json& music, const nlohmann::json& audio) {
  const auto music_settings = universe::music_from_parameters(music);
  const auto audio_settings = universe::audio_from_parameters(audio);
  std::lock_guard lock(mutex_);
  if (!(music_settings == music_settings_)) {
    music_settings_ = music_settings;
    music_->set_music_settings(music_settings_);
  }
  if (!(audio_settings == audio_settings_)) {
    audio_settings_ = audio_settings;
    music_->set_audio_settings(audio_settings_);
  }
}

void SoundEngine::on_events(std::span<const sim::Event> events, sim::WorldSize world) {
  std::lock_guard lock(mutex_);
  music_->on_step(events, world);
}

void SoundEngine::render(float* out, int frames, int channels) {
  std::lock_guard lock(mutex_);
  mono_.resize(static_cast<std::size_t>(frames));
  music_->render(mono_.data(), mono_.size());
  for (int i = 0; i < frames; ++i) {
    const float sample = mono_[static_cast<std::size_t>(i)];
    history_[history_pos_] = sample;
    history_pos_ = (history_pos_ + 1) % history_.size();
    for (int channel = 0; channel < channels; ++channel) out[i * channels + channel] = sample;
  }
}

float SoundEngine::loudness() const {
  std::lock_guard lock(mutex_);
  // RMS of the last block, scaled so ordinary music fills the 0..1 range the picture uses.
  return std::min(1.0f, music_->loudness() * 4.0f);
}

void SoundEngine::recent_samples(std::vector<float>& out, std::size_t count) const {
  std::lock_guard lock(mutex_);
  out.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    out[i] = history_[(history_pos_ + history_.size() - count + i) % history_.size()];
  }
}

void SoundEngine::waveform(std::vector<float>& out) const {
  // About 21 ms: a few cycles of the notes in the melody range.
  recent_samples(out, 1024);
}

void SoundEngine::spectrum(std::vector<float>& out) const {
  std::vector<float> samples;
  recent_samples(samples, 1024);
  // 24 log-spaced bands from 60 Hz to 12 kHz, one windowed DFT bin each, in dB.
  out.assign(24, 0.0f);
  const float n = static_cast<float>(samples.size());
  for (std::size_t band = 0; band < out.size(); ++band) {
    const float frequency = 60.0f * std::pow(200.0f, static_cast<float>(band) / static_cast<float>(out.size() - 1));
    const float w = 2.0f * kPi * frequency / static_cast<float>(sample_rate_);
    float re = 0, im = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const float window = 0.5f - 0.5f * std::cos(2.0f * kPi * static_cast<float>(i) / n);
      re += samples[i] * window * std::cos(w * static_cast<float>(i));
      im -= samples[i] * window * std::sin(w * static_cast<float>(i));
    }
    const float magnitude = 2.0f * std::sqrt(re * re + im * im) / (0.5f * n);  // Hann gain 0.5
    // -60 dBFS .. 0 dBFS onto 0..1, so quiet music still shows.
    const float decibels = 20.0f * std::log10(std::max(magnitude, 1e-6f));
    out[band] = std::clamp((decibels + 60.0f) / 60.0f, 0.0f, 1.0f);
  }
}

std::string SoundEngine::description() const {
  std::lock_guard lock(mutex_);
  std::string scale(music::to_string(music_settings_.scale));
  std::replace(scale.begin(), scale.end(), '_', ' ');
  return std::string(music::to_string(music_settings_.key)) + " " + scale + " · " +
         std::to_string(music_settings_.tempo) + " BPM · " + std::string(music::to_string(audio_settings_.waveform));
}

}  // namespace harmonic::frontend
