#include "music/scale.hpp"
#include "music/universe_music.hpp"
#include "sim/world.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

TEST_CASE("a universe renders to a deterministic, audible WAV", "[music][universe]") {
  const harmonic::sim::PhysicsSettings physics;
  const harmonic::music::MusicSettings music_settings;
  const harmonic::music::AudioSettings audio;
  std::vector<harmonic::music::Note> notes;
  const auto pcm = harmonic::music::render_universe_pcm(3, physics, music_settings, audio, 4.0, &notes);
  REQUIRE(pcm.size() == 4 * 48000);
  CHECK(notes.size() >= 4);  // at least a note per beat and a bit at 120 BPM
  double sum = 0;
  for (float s : pcm) sum += static_cast<double>(s) * s;
  CHECK(std::sqrt(sum / static_cast<double>(pcm.size())) > 0.01);

  const auto a = harmonic::music::render_universe_wav(3, physics, music_settings, audio, 2.0);
  const auto b = harmonic::music::render_universe_wav(3, physics, music_settings, audio, 2.0);
  CHECK(a.size() == 44 + 2 * 96000);
  CHECK(a == b);
  const auto c = harmonic::music::render_universe_wav(4, physics, music_settings, audio, 2.0);
  CHECK(a != c);
}

TEST_CASE("the music follows the key of the universe", "[music][universe]") {
  harmonic::music::MusicSettings settings;
  settings.key = harmonic::music::parse_key("F#").value();
  settings.scale = harmonic::music::Scale::pentatonic;
  std::vector<harmonic::music::Note> notes;
  harmonic::music::render_universe_pcm(8, harmonic::sim::PhysicsSettings{}, settings, harmonic::music::AudioSettings{}, 5.0, &notes);
  REQUIRE(notes.size() > 5);
  for (const auto& n : notes) CHECK(harmonic::music::in_scale(n.midi, settings.key, settings.scale));
}

TEST_CASE("live playback: events in, audio blocks out, loudness follows", "[music][universe]") {
  harmonic::sim::World world(2, harmonic::sim::PhysicsSettings{});
  harmonic::music::UniverseMusic player(2, harmonic::music::MusicSettings{}, harmonic::music::AudioSettings{});
  std::vector<float> block(512);
  float loudest = 0;
  // One 512-frame block per 1/60 s step is slightly more audio than time; that is
  // fine, the composer places notes relative to the synth's clock.
  for (int s = 0; s < 300; ++s) {
    world.step();
    player.on_step(world.pending_events(), world.world_size());
    world.clear_events();
    player.render(block.data(), block.size());
    loudest = std::max(loudest, player.loudness());
  }
  CHECK(player.synth().time_seconds() == Approx(300 * 512 / 48000.0));
  CHECK(loudest > 0.02f);
}

TEST_CASE("a synth that is never rendered does not queue notes forever", "[music][synth]") {
  harmonic::music::Synth synth;
  for (int i = 0; i < 10000; ++i) synth.schedule(harmonic::music::Note{i * 0.01, 0.1, 60, 1.0f});
  CHECK(synth.pending_notes() == harmonic::music::Synth::kMaxPendingNotes);
}

TEST_CASE("universe_wav_size is the size render_universe_wav returns, without rendering") {
  const auto settings = harmonic::music::MusicSettings{};
  for (const double seconds : {0.01, 0.25, 1.0 / 3}) {
    INFO(seconds);
    const auto wav = harmonic::music::render_universe_wav(7, harmonic::sim::PhysicsSettings{}, settings, harmonic::music::AudioSettings{}, seconds);
    CHECK(harmonic::music::universe_wav_size(seconds) == wav.size());
  }
  CHECK(harmonic::music::universe_wav_size(120) == 44 + 2 * 48000 * 120);
}
