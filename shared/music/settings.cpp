#include "music/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace music {
namespace {

constexpr std::string_view kKeyNames[] = {"C",  "C#", "D",  "D#", "E",  "F",
                                          "F#", "G",  "G#", "A",  "A#", "B"};
constexpr std::string_view kScaleNames[] = {"major",         "minor",      "harmonic_minor",
                                            "melodic_minor", "pentatonic", "blues"};
constexpr std::string_view kWaveformNames[] = {"sine", "square", "sawtooth", "triangle"};

template <typename Enum, size_t N>
std::optional<Enum> parse_enum(std::string_view text, const std::string_view (&names)[N]) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

// strtod rather than from_chars: the WebAssembly standard library has no
// floating-point from_chars yet.
std::optional<double> parse_number(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

double clamp_range(double value, double lo, double hi) {
  if (!(value >= lo)) return lo;  // also catches NaN
  return std::min(value, hi);
}

struct Range {
  std::string_view name;
  double lo, hi;
};

constexpr Range kMusicRanges[] = {
    {"tempo", 40, 200}, {"harmony", 0, 1}, {"rhythm_complexity", 0, 1}, {"melody_range", 0, 1}};

constexpr Range kAudioRanges[] = {
    {"volume", 0, 1},          {"attack", 0.001, 5},        {"decay", 0.001, 5},
    {"sustain", 0, 1},         {"release", 0.001, 10},      {"filter_cutoff", 20, 20000},
    {"filter_resonance", 0, 1}, {"reverb_amount", 0, 1},    {"delay_time", 0, 2},
    {"delay_feedback", 0, 0.95}, {"lfo_rate", 0, 20},       {"lfo_depth", 0, 1}};

template <size_t N>
const Range* find_range(const Range (&ranges)[N], std::string_view name) {
  for (const Range& r : ranges) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

double* music_number(MusicSettings& s, std::string_view name) {
  if (name == "harmony") return &s.harmony;
  if (name == "rhythm_complexity") return &s.rhythm_complexity;
  if (name == "melody_range") return &s.melody_range;
  return nullptr;
}

double* audio_number(AudioSettings& s, std::string_view name) {
  if (name == "volume") return &s.volume;
  if (name == "attack") return &s.attack;
  if (name == "decay") return &s.decay;
  if (name == "sustain") return &s.sustain;
  if (name == "release") return &s.release;
  if (name == "filter_cutoff") return &s.filter_cutoff;
  if (name == "filter_resonance") return &s.filter_resonance;
  if (name == "reverb_amount") return &s.reverb_amount;
  if (name == "delay_time") return &s.delay_time;
  if (name == "delay_feedback") return &s.delay_feedback;
  if (name == "lfo_rate") return &s.lfo_rate;
  if (name == "lfo_depth") return &s.lfo_depth;
  return nullptr;
}

} // namespace

std::optional<Key> parse_key(std::string_view text) { return parse_enum<Key>(text, kKeyNames); }
std::optional<Scale> parse_scale(std::string_view text) {
  return parse_enum<Scale>(text, kScaleNames);
}
std::optional<Waveform> parse_waveform(std::string_view text) {
  return parse_enum<Waveform>(text, kWaveformNames);
}
std::string_view to_string(Key key) { return kKeyNames[static_cast<int>(key)]; }
std::string_view to_string(Scale scale) { return kScaleNames[static_cast<int>(scale)]; }
std::string_view to_string(Waveform waveform) {
  return kWaveformNames[static_cast<int>(waveform)];
}

bool set_music_field(MusicSettings& s, std::string_view name, std::string_view value) {
  if (name == "key") {
    const auto key = parse_key(value);
    if (key) s.key = *key;
    return key.has_value();
  }
  if (name == "scale") {
    const auto scale = parse_scale(value);
    if (scale) s.scale = *scale;
    return scale.has_value();
  }
  const Range* range = find_range(kMusicRanges, name);
  const auto number = parse_number(value);
  if (!range || !number) return false;
  const double v = clamp_range(*number, range->lo, range->hi);
  if (name == "tempo") {
    s.tempo = static_cast<int>(std::lround(v));
  } else {
    *music_number(s, name) = v;
  }
  return true;
}

bool set_audio_field(AudioSettings& s, std::string_view name, std::string_view value) {
  if (name == "waveform") {
    const auto waveform = parse_waveform(value);
    if (waveform) s.waveform = *waveform;
    return waveform.has_value();
  }
  const Range* range = find_range(kAudioRanges, name);
  const auto number = parse_number(value);
  if (!range || !number) return false;
  *audio_number(s, name) = clamp_range(*number, range->lo, range->hi);
  return true;
}

MusicSettings clamped(const MusicSettings& settings) {
  MusicSettings out = settings;
  out.tempo = std::clamp(settings.tempo, 40, 200);
  for (const Range& r : kMusicRanges) {
    if (double* field = music_number(out, r.name)) *field = clamp_range(*field, r.lo, r.hi);
  }
  if (static_cast<unsigned>(out.key) > 11u) out.key = Key::C;
  if (static_cast<unsigned>(out.scale) > 5u) out.scale = Scale::major;
  return out;
}

AudioSettings clamped(const AudioSettings& settings) {
  AudioSettings out = settings;
  for (const Range& r : kAudioRanges) {
    if (double* field = audio_number(out, r.name)) *field = clamp_range(*field, r.lo, r.hi);
  }
  if (static_cast<unsigned>(out.waveform) > 3u) out.waveform = Waveform::sine;
  return out;
}

} // namespace music
