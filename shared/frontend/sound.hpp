// The universe's music for the speakers: the shared music engine (shared/music, the
// same code that renders export.wav on the server) fed with the simulation's events,
// plus what the audio panel shows (waveform, spectrum, what is playing).
//
// Threads: the frame thread calls set_*/on_events and reads the views; the platform's
// audio callback may call render() from its own thread. One mutex, held briefly,
// serialises them (UniverseMusic itself is not thread-safe).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "music/universe_music.hpp"
#include "sim/event.hpp"
#include "sim/world_geometry.hpp"

namespace harmonic::frontend {

// Circle-of-fifths hue of a key name (C = red), 0..1, shared with the visualization.
float key_hue(const std::string& key);

class SoundEngine {
 public:
  explicit SoundEngine(int sample_rate = 48000);

  // Frame thread.
  void set_seed(std::uint64_t seed);  // a new universe: its own composer randomness
  void set_parameters(const nlohmann::json& music, const nlohmann::json& audio);
  void on_events(std::span<const sim::Event> events, sim::WorldSize world);
  // Audio callback: `frames` interleaved frames of `channels` (the music is mono).
  void render(float* out, int frames, int channels);

  // For the picture and the plot (frame thread).
  float loudness() const;
  void waveform(std::vector<float>& out) const;
  void spectrum(std::vector<float>& out) const;
  std::string description() const;
  int sample_rate() const { return sample_rate_; }

 private:
  void recent_samples(std::vector<float>& out, std::size_t count) const;

  int sample_rate_;
  mutable std::mutex mutex_;
  std::uint64_t seed_ = 0;
  music::MusicSettings music_settings_;
  music::AudioSettings audio_settings_;
  std::unique_ptr<music::UniverseMusic> music_;
  std::vector<float> mono_;      // scratch for one callback
  std::vector<float> history_;   // the last second of output, a ring
  std::size_t history_pos_ = 0;
};

}  // namespace harmonic::frontend
