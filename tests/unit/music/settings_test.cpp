#include "music/settings.hpp"
#include "music/visual_cues.hpp"

#include <catch2/catch.hpp>

TEST_CASE("keys, scales and waveforms parse from their schema spellings", "[music][settings]") {
  CHECK(music::parse_key("C") == music::Key::C);
  CHECK(music::parse_key("C#") == music::Key::Cs);
  CHECK(music::parse_key("B") == music::Key::B);
  CHECK_FALSE(music::parse_key("H").has_value());
  CHECK_FALSE(music::parse_key("c#").has_value());
  CHECK(music::parse_scale("harmonic_minor") == music::Scale::harmonic_minor);
  CHECK(music::parse_scale("blues") == music::Scale::blues);
  CHECK_FALSE(music::parse_scale("dorian").has_value());
  CHECK(music::parse_waveform("sawtooth") == music::Waveform::sawtooth);
  CHECK_FALSE(music::parse_waveform("saw").has_value());
  for (int k = 0; k < 12; ++k) {
    const auto key = static_cast<music::Key>(k);
    CHECK(music::parse_key(music::to_string(key)) == key);
  }
}

TEST_CASE("schema defaults", "[music][settings]") {
  const music::MusicSettings m;
  CHECK(m.tempo == 120);
  CHECK(m.key == music::Key::C);
  CHECK(m.scale == music::Scale::major);
  const music::AudioSettings a;
  CHECK(a.volume == 0.8);
  CHECK(a.waveform == music::Waveform::sine);
  CHECK(a.filter_cutoff == 2000);
  CHECK(a.delay_feedback == 0.3);
}

TEST_CASE("fields set by name are parsed and clamped", "[music][settings]") {
  music::MusicSettings m;
  CHECK(music::set_music_field(m, "tempo", "90"));
  CHECK(m.tempo == 90);
  CHECK(music::set_music_field(m, "tempo", "1000"));
  CHECK(m.tempo == 200);
  CHECK(music::set_music_field(m, "key", "F#"));
  CHECK(m.key == music::Key::Fs);
  CHECK_FALSE(music::set_music_field(m, "key", "X"));
  CHECK_FALSE(music::set_music_field(m, "nope", "1"));
  CHECK_FALSE(music::set_music_field(m, "harmony", "abc"));

  music::AudioSettings a;
  CHECK(music::set_audio_field(a, "delay_feedback", "1"));
  CHECK(a.delay_feedback == 0.95);
  CHECK(music::set_audio_field(a, "waveform", "triangle"));
  CHECK(a.waveform == music::Waveform::triangle);
}

TEST_CASE("key hues go round the circle of fifths from red", "[music][visual]") {
  CHECK(music::key_hue_degrees(music::Key::C) == 0.0f);
  CHECK(music::key_hue_degrees(music::Key::G) == 30.0f);
  CHECK(music::key_hue_degrees(music::Key::D) == 60.0f);
  CHECK(music::key_hue_degrees(music::Key::F) == 330.0f);
  CHECK(music::key_hue_degrees(music::Key::Fs) == 180.0f);
}

TEST_CASE("the beat phase follows the tempo", "[music][visual]") {
  CHECK(music::beat_phase(0.0, 120) == 0.0);
  CHECK(music::beat_phase(0.25, 120) == Approx(0.5));
  CHECK(music::beat_phase(1.0, 60) == Approx(0.0).margin(1e-12));
  CHECK(music::beat_pulse(0.0, 120) == 1.0f);
  CHECK(music::beat_pulse(0.4, 120) < 0.01f);
}
