// The music and audio parameters of a universe, typed. Names, ranges and defaults
// are the `music` and `audio` categories of /shared/PARAMETERS.md (the canonical
// table with labels and validation lives in shared/params).
#pragma once

#include <optional>
#include <string_view>

namespace music {

// Pitch classes, C = 0 ... B = 11 (the MIDI pitch class of the tonic).
enum class Key { C, Cs, D, Ds, E, F, Fs, G, Gs, A, As, B };
enum class Scale { major, minor, harmonic_minor, melodic_minor, pentatonic, blues };
enum class Waveform { sine, square, sawtooth, triangle };

struct MusicSettings {
  int tempo = 120;                // BPM, 40..200
  Key key = Key::C;
  Scale scale = Scale::major;
  double harmony = 0.5;           // chance of chord tones (vs. passing tones)
  double rhythm_complexity = 0.5; // finer subdivisions and syncopation
  double melody_range = 0.5;      // 0 -> 1 octave ... 1 -> 4 octaves

  friend bool operator==(const MusicSettings&, const MusicSettings&) = default;
};

struct AudioSettings {
  double volume = 0.8;
  Waveform waveform = Waveform::sine;
  double attack = 0.1;            // s
  double decay = 0.2;             // s
  double sustain = 0.7;           // level 0..1
  double release = 0.3;           // s
  double filter_cutoff = 2000.0;  // Hz, low-pass
  double filter_resonance = 0.3;  // 0..1
  double reverb_amount = 0.3;     // wet mix
  double delay_time = 0.3;        // s (0 = no echo)
  double delay_feedback = 0.3;    // level of each echo relative to the previous one
  double lfo_rate = 1.0;          // Hz
  double lfo_depth = 0.2;         // 0..1: filter sweep of up to +-2 octaves, light tremolo

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

// Every numeric field clamped into its schema range (NaN becomes the minimum).
MusicSettings clamped(const MusicSettings& settings);
AudioSettings clamped(const AudioSettings& settings);

} // namespace music
