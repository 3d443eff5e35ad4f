// The whole music of a universe: simulation events -> Composer -> Synth -> PCM.
//
// Real-time clients (browser, desktop):
//   music::UniverseMusic music(seed, music_settings, audio_settings);
//   // each frame, after world.step():
//   music.on_step(world.pending_events(), world.world_size());
//   world.clear_events();
//   // in the audio callback:
//   music.render(buffer, 512);
// The music clock is the synth's: seconds of audio rendered so far. Offline
// rendering passes the step's own time instead (step / 60.0), which makes the
// result independent of block sizes.
//
// Not thread-safe: if the audio callback runs on its own thread, serialise
// on_step() and render() (a mutex held briefly, or hand events over a queue).
#pragma once

#include "music/composer.hpp"
#include "music/settings.hpp"
#include "music/synth.hpp"
#include "sim/event.hpp"
#include "sim/physics_settings.hpp"
#include "sim/world_geometry.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace harmonic::music {

class UniverseMusic {
 public:
  UniverseMusic(uint64_t seed, const MusicSettings& music, const AudioSettings& audio);

  void set_music_settings(const MusicSettings& settings) { composer_.set_settings(settings); }
  void set_audio_settings(const AudioSettings& settings) { synth_.set_settings(settings); }

  // The events of one step that happened at `now_seconds` on the music clock.
  void on_step(std::span<const sim::Event> events, double now_seconds, sim::WorldSize world);
  // The same, happening "now": at the synth's clock.
  void on_step(std::span<const sim::Event> events, sim::WorldSize world) {
    on_step(events, synth_.time_seconds(), world);
  }
  void render(float* out, size_t frames) { synth_.render(out, frames); }

  float loudness() const { return synth_.last_block_rms(); }
  const Composer& composer() const { return composer_; }
  const Synth& synth() const { return synth_; }
  // Every note composed so far (for tests and export.json), if recording is on.
  void record_notes(bool on) { recording_ = on; }
  const std::vector<Note>& recorded_notes() const { return recorded_; }

 private:
  Composer composer_;
  Synth synth_;
  std::vector<Note> scratch_;
  std::vector<Note> recorded_;
  bool recording_ = false;
};

// Runs a fresh universe (seed, physics) together with its music for `seconds` of
// real time (60 steps per second) and returns a complete mono 16-bit 48 kHz WAV.
// The result is deterministic. Cost is dominated by the simulation: about
// seconds * 60 steps (100,000 particles take roughly 10 ms per step natively).
std::vector<uint8_t> render_universe_wav(uint64_t seed, const sim::PhysicsSettings& physics,
                                         const MusicSettings& music, const AudioSettings& audio,
                                         double seconds);

// The size in bytes of what render_universe_wav returns for `seconds`, computed without
// rendering (for HTTP HEAD and Content-Length).
size_t universe_wav_size(double seconds);

// The same, returning the float samples and (optionally) the notes played.
std::vector<float> render_universe_pcm(uint64_t seed, const sim::PhysicsSettings& physics,
                                       const MusicSettings& music, const AudioSettings& audio,
                                       double seconds, std::vector<Note>* notes = nullptr);

}  // namespace harmonic::music
