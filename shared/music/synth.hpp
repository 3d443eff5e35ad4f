// The synthesiser: plays Notes into mono float PCM at 48 kHz.
//
// Signal path per voice: band-limited wavetable oscillator -> ADSR -> resonant
// low-pass (cutoff swept by the LFO). The voices are summed, then echo, reverb,
// volume, and a peak limiter guarantee that no sample exceeds 0.95 (below 0 dBFS)
// and that nothing non-finite ever leaves (a NaN would reset the synth to silence).
//
// Real-time use: the audio callback calls render() with blocks of any size (e.g.
// 512 frames); schedule() notes at any time, on the synth's own clock, which counts
// the frames rendered so far. A note whose start has already passed starts at the
// beginning of the next block. Settings changes apply from the next render().
#pragma once

#include "music/effects.hpp"
#include "music/envelope.hpp"
#include "music/filter.hpp"
#include "music/note.hpp"
#include "music/settings.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace harmonic::music {

class Synth {
 public:
  static constexpr int kSampleRate = 48000;
  static constexpr int kMaxVoices = 16;       // a new note steals the quietest voice
  static constexpr int kControlBlock = 64;    // LFO and filter update every 64 frames
  static constexpr size_t kMaxPendingNotes = 4096;  // oldest dropped beyond this
  static constexpr float kVoiceGain = 0.5f;   // the limiter catches chords that sum higher

  explicit Synth(const AudioSettings& settings = {});

  void set_settings(const AudioSettings& settings);
  const AudioSettings& settings() const { return requested_; }

  void schedule(const Note& note);
  void render(float* out, size_t frames);

  // Seconds of audio rendered so far (the clock notes are scheduled on).
  double time_seconds() const { return static_cast<double>(frames_rendered_) / kSampleRate; }
  uint64_t frames_rendered() const { return frames_rendered_; }
  // Root mean square of the last rendered block, 0..~0.95: "how loud is it now".
  float last_block_rms() const { return last_block_rms_; }
  int sounding_voices() const;
  size_t pending_notes() const { return pending_.size(); }

  // Back to silence: voices, effect tails and queued notes are dropped.
  void reset();

 private:
  struct Voice {
    double phase = 0;            // 0..1 through the waveform cycle
    double phase_increment = 0;  // cycles per sample
    const float* table = nullptr;
    float velocity = 0;
    uint64_t release_at_frame = 0;
    uint64_t started_at_frame = 0;
    Envelope envelope;
    LowPassFilter filter;
  };

  void apply_settings();
  void start_note(const Note& note);
  void start_due_notes();
  void render_chunk(float* out, size_t frames);
  Voice& free_or_quietest_voice();

  AudioSettings requested_;
  AudioSettings active_;
  bool settings_changed_ = true;

  std::array<Voice, kMaxVoices> voices_;
  std::vector<Note> pending_;  // sorted by start time
  Echo echo_;
  Reverb reverb_;
  Limiter limiter_;
  double lfo_phase_ = 0;
  uint64_t frames_rendered_ = 0;
  float last_block_rms_ = 0;
};

}  // namespace harmonic::music
