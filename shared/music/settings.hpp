// The music and audio parameters of a universe, typed. Names, ranges, defaults and
// the spellings of keys, scales and waveforms are the `music` and `audio` rows of the
// schema table (params/table.hpp, docs/parameters.md); nothing here repeats them.
#pragma once

#include <optional>
#include <string_view>
#include <variant>

#include "params/table.hpp"

namespace harmonic::music {

// The schema row of a music or audio parameter, at compile time.
consteval const params::ParameterSpec& music_row(std::string_view name) {
  return params::row(params::table::music_name, name);
}
consteval const params::ParameterSpec& audio_row(std::string_view name) {
  return params::row(params::table::audio_name, name);
}

// Pitch classes, C = 0 ... B = 11 (the MIDI pitch class of the tonic). Each enum lists
// its schema choices in the schema's order (static_asserts in settings.cpp).
enum class Key { C, Cs, D, Ds, E, F, Fs, G, Gs, A, As, B };
enum class Scale { major, minor, harmonic_minor, melodic_minor, pentatonic, blues };
enum class Waveform { sine, square, sawtooth, triangle };

// The enum value the schema spells `text`, at compile time (for defaults).
consteval int choice_index(const params::ParameterSpec& spec, std::string_view text) {
  for (std::size_t i = 0; i < spec.choices.size(); ++i) {
    if (spec.choices[i] == text) return static_cast<int>(i);
  }
  throw "the default is not one of the choices";
}

struct MusicSettings {
  int tempo = static_cast<int>(music_row("tempo").default_number);  // BPM
  Key key = static_cast<Key>(choice_index(music_row("key"), music_row("key").default_text));
  Scale scale = static_cast<Scale>(choice_index(music_row("scale"), music_row("scale").default_text));
  double harmony = music_row("harmony").default_number;                      // chance of chord tones
  double rhythm_complexity = music_row("rhythm_complexity").default_number;  // subdivisions, syncopation
  double melody_range = music_row("melody_range").default_number;            // 0: 1 octave ... 1: 4 octaves

  friend bool operator==(const MusicSettings&, const MusicSettings&) = default;
};

struct AudioSettings {
  double volume = audio_row("volume").default_number;
  Waveform waveform =
      static_cast<Waveform>(choice_index(audio_row("waveform"), audio_row("waveform").default_text));
  double attack = audio_row("attack").default_number;      // s
  double decay = audio_row("decay").default_number;        // s
  double sustain = audio_row("sustain").default_number;    // level 0..1
  double release = audio_row("release").default_number;    // s
  double filter_cutoff = audio_row("filter_cutoff").default_number;        // Hz, low-pass
  double filter_resonance = audio_row("filter_resonance").default_number;  // emphasis at the cutoff
  double reverb_amount = audio_row("reverb_amount").default_number;        // wet mix
  double delay_time = audio_row("delay_time").default_number;              // s (0 = no echo)
  double delay_feedback = audio_row("delay_feedback").default_number;      // each echo relative to the last
  double lfo_rate = audio_row("lfo_rate").default_number;                  // Hz
  double lfo_depth = audio_row("lfo_depth").default_number;  // filter sweep of up to +-2 octaves, light tremolo

  friend bool operator==(const AudioSettings&, const AudioSettings&) = default;
};

// Schema spellings: "C", "C#", ... "B"; "major", "harmonic_minor", ...; "sine", ...
std::optional<Key> parse_key(std::string_view text);
std::optional<Scale> parse_scale(std::string_view text);
std::optional<Waveform> parse_waveform(std::string_view text);
std::string_view to_string(Key key);
std::string_view to_string(Scale scale);
std::string_view to_string(Waveform waveform);

// Sets the field called `name` from its text form ("0.5", "C#", "sawtooth").
// Returns false for an unknown name or an unparsable value. Numbers are clamped to
// the schema range, so the result is always playable.
bool set_music_field(MusicSettings& settings, std::string_view name, std::string_view value);
bool set_audio_field(AudioSettings& settings, std::string_view name, std::string_view value);

// The field called `name`: a number, or a choice in its schema spelling. Empty for
// an unknown name.
using FieldValue = std::variant<double, std::string_view>;
std::optional<FieldValue> get_music_field(const MusicSettings& settings, std::string_view name);
std::optional<FieldValue> get_audio_field(const AudioSettings& settings, std::string_view name);

// Every numeric field clamped into its schema range (NaN becomes the minimum).
MusicSettings clamped(const MusicSettings& settings);
AudioSettings clamped(const AudioSettings& settings);

}  // namespace harmonic::music
