#include "music/universe_music.hpp"

#include "music/wav.hpp"
#include "sim/world.hpp"

#include <algorithm>
#include <cmath>

namespace harmonic::music {

UniverseMusic::UniverseMusic(uint64_t seed, const MusicSettings& music, const AudioSettings& audio)
    : composer_(seed, music), synth_(audio) {
  scratch_.reserve(16);
}

void UniverseMusic::on_step(std::span<const sim::Event> events, double now_seconds,
                            sim::WorldSize world) {
  scratch_.clear();
  composer_.compose(events, now_seconds, world, scratch_);
  for (const Note& note : scratch_) synth_.schedule(note);
  if (recording_) recorded_.insert(recorded_.end(), scratch_.begin(), scratch_.end());
}

namespace {
// Samples in `seconds` of rendered audio (mono).
size_t pcm_samples(double seconds) {
  return static_cast<size_t>(std::llround(std::max(0.0, seconds) * Synth::kSampleRate));
}
}  // namespace

size_t universe_wav_size(double seconds) { return wav_pcm16_size(pcm_samples(seconds)); }

std::vector<float> render_universe_pcm(uint64_t seed, const sim::PhysicsSettings& physics,
                                       const MusicSettings& music, const AudioSettings& audio,
                                       double seconds, std::vector<Note>* notes) {
  constexpr int kFramesPerStep = Synth::kSampleRate / 60;  // 800: one step per 1/60 s
  const auto steps = static_cast<uint64_t>(std::ceil(std::max(0.0, seconds) * 60.0));
  sim::World world(seed, physics);
  UniverseMusic player(seed, music, audio);
  player.record_notes(notes != nullptr);

  std::vector<float> pcm(static_cast<std::size_t>(steps * kFramesPerStep));
  for (uint64_t s = 0; s < steps; ++s) {
    world.step();
    // The synth's clock stands at s/60 s here: notes land on the grid from now on.
    player.on_step(world.pending_events(), static_cast<double>(s) / 60.0, world.world_size());
    world.clear_events();
    player.render(pcm.data() + s * kFramesPerStep, kFramesPerStep);
  }
  pcm.resize(pcm_samples(seconds));
  if (notes) *notes = player.recorded_notes();
  return pcm;
}

std::vector<uint8_t> render_universe_wav(uint64_t seed, const sim::PhysicsSettings& physics,
                                         const MusicSettings& music, const AudioSettings& audio,
                                         double seconds) {
  const std::vector<float> pcm = render_universe_pcm(seed, physics, music, audio, seconds);
  return encode_wav_pcm16(pcm, Synth::kSampleRate, 1);
}

}  // namespace harmonic::music
