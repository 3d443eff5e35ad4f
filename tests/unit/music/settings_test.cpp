#include "music/settings.hpp"
#include "music/visual_cues.hpp"

#include <catch2/catch.hpp>

TEST_CASE("keys, scales and waveforms parse from their schema spellings", "[music][settings]") {
  CHECK(harmonic::music::parse_key("C") == harmonic::music::Key::C);
  CHECK(harmonic::music::parse_key("C#") == harmonic::music::Key::Cs);
  CHECK(harmonic::music::parse_key("B") == harmonic::music::Key::B);
  CHECK_FALSE(harmonic::music::parse_key("H").has_value());
  CHECK_FALSE(harmonic::music::parse_key("c#").has_value());
  CHECK(harmonic::music::parse_scale("harmonic_minor") == harmonic::music::Scale::harmonic_minor);
  CHECK(harmonic::music::parse_scale("blues") == harmonic::music::Scale::blues);
  CHECK_FALSE(harmonic::music::parse_scale("dorian").has_value());
  CHECK(harmonic::music::parse_waveform("sawtooth") == harmonic::music::Waveform::sawtooth);
  CHECK_FALSE(harmonic::music::parse_waveform("saw").has_value());
  for (int k = 0; k < 12; ++k) {
    const auto key = static_cast<harmonic::music::Key>(k);
    CHECK(harmonic::music::parse_key(harmonic::music::to_string(key)) == key);
  }
}

TEST_CASE("schema defaults", "[music][settings]") {
  const harmonic::music::MusicSettings m;
  CHECK(m.tempo == 120);
  CHECK(m.key == harmonic::music::Key::C);
  CHECK(m.scale == harmonic::music::Scale::major);
  const harmonic::music::AudioSettings a;
  CHECK(a.volume == 0.8);
  CHECK(a.waveform == harmonic::music::Waveform::sine);
  CHECK(a.filter_cutoff == 2000);
  CHECK(a.delay_feedback == 0.3);
}

TEST_CASE("fields set by name are parsed and clamped", "[music][settings]") {
  harmonic::music::MusicSettings m;
  CHECK(harmonic::music::set_music_field(m, "tempo", "90"));
  CHECK(m.tempo == 90);
  CHECK(harmonic::music::set_music_field(m, "tempo", "1000"));
  CHECK(m.tempo == 200);
  CHECK(harmonic::music::set_music_field(m, "key", "F#"));
  CHECK(m.key == harmonic::music::Key::Fs);
  CHECK_FALSE(harmonic::music::set_music_field(m, "key", "X"));
  CHECK_FALSE(harmonic::music::set_music_field(m, "nope", "1"));
  CHECK_FALSE(harmonic::music::set_music_field(m, "harmony", "abc"));

  harmonic::music::AudioSettings a;
  CHECK(harmonic::music::set_audio_field(a, "delay_feedback", "1"));
  CHECK(a.delay_feedback == 0.95);
  CHECK(harmonic::music::set_audio_field(a, "waveform", "triangle"));
  CHECK(a.waveform == harmonic::music::Waveform::triangle);
}

TEST_CASE("key hues go round the circle of fifths from red", "[music][visual]") {
  CHECK(harmonic::music::key_hue_degrees(harmonic::music::Key::C) == 0.0f);
  CHECK(harmonic::music::key_hue_degrees(harmonic::music::Key::G) == 30.0f);
  CHECK(harmonic::music::key_hue_degrees(harmonic::music::Key::D) == 60.0f);
  CHECK(harmonic::music::key_hue_degrees(harmonic::music::Key::F) == 330.0f);
  CHECK(harmonic::music::key_hue_degrees(harmonic::music::Key::Fs) == 180.0f);
}

TEST_CASE("the beat phase follows the tempo", "[music][visual]") {
  CHECK(harmonic::music::beat_phase(0.0, 120) == 0.0);
  CHECK(harmonic::music::beat_phase(0.25, 120) == Approx(0.5));
  CHECK(harmonic::music::beat_phase(1.0, 60) == Approx(0.0).margin(1e-12));
  CHECK(harmonic::music::beat_pulse(0.0, 120) == 1.0f);
  CHECK(harmonic::music::beat_pulse(0.4, 120) < 0.01f);
}
