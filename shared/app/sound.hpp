// Turns the simulation's events into music and renders it to PCM, for the start-audio
// button and the waveform/spectrum plot.
//
// ADAPTER NOTE: shared/music (the project's music engine, issue 3) had not landed when
// the web client was written. This is a thin stand-in with the same inputs (events +
// the music and audio categories) so the client plays something faithful to
// PARAMETERS.md; swap render()/on_events() over to music::Synth when it exists.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/event.hpp"

namespace harmonic::app {

// Circle-of-fifths hue of a key (C = red, 0..1), shared with the visualization.
float key_hue(const std::string& key);

class SoundEngine {
 public:
  explicit SoundEngine(int sample_rate = 48000);

  // Main thread, every frame.
  void set_parameters(const nlohmann::json& music, const nlohmann::json& audio);
  void on_events(std::span<const sim::Event> events, float world_height);
  // Audio callback: interleaved output.
  void render(float* out, int frames, int channels);

  // For the picture and the plot (main thread).
  float loudness() const { return loudness_; }
  float beat_phase(double time_s) const;
  void waveform(std::vector<float>& out) const;
  void spectrum(std::vector<float>& out) const;
  std::string description() const;
  int sample_rate() const { return sample_rate_; }

 private:
  struct Settings {
    int tempo = 120;
    int key = 0;  // semitones above C
    std::vector<int> scale{0, 2, 4, 5, 7, 9, 11};
    float harmony = 0.5f, rhythm = 0.5f, range = 0.5f;
    int waveform = 0;  // sine square sawtooth triangle
    float volume = 0.8f, attack = 0.1f, decay = 0.2f, sustain = 0.7f, release = 0.3f;
    float cutoff = 2000, resonance = 0.3f, reverb = 0.3f, delay_time = 0.3f, delay_feedback = 0.3f;
    float lfo_rate = 1, lfo_depth = 0.2f;
    std::string key_name = "C", scale_name = "major";
  };
  struct Candidate {
    float height;    // 0..1
    float velocity;  // 0..1
  };
  struct Voice {
    bool active = false;
    double phase = 0;
    float frequency = 440, velocity = 0;
    double age = 0, gate = 0;  // seconds
    float level = 0;
    float low = 0, band = 0;  // state-variable filter
  };

  void start_notes();
  float oscillator(Voice& v, float lfo) const;

  int sample_rate_;
  mutable std::mutex mutex_;
  Settings settings_;
  std::vector<Candidate> candidates_;
  std::array<Voice, 24> voices_{};
  std::uint64_t sample_pos_ = 0;
  std::uint64_t next_slot_ = 0;
  std::uint32_t random_ = 12345;
  std::vector<float> delay_line_;
  std::size_t delay_pos_ = 0;
  std::array<std::vector<float>, 4> combs_;
  std::array<std::size_t, 4> comb_pos_{};
  std::array<std::vector<float>, 2> allpass_;
  std::array<std::size_t, 2> allpass_pos_{};
  std::vector<float> history_;  // last samples, mono, ring
  std::size_t history_pos_ = 0;
  float loudness_ = 0;
};

}  // namespace harmonic::app
