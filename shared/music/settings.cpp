#include "music/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace harmonic::music {
namespace {


// The enums mirror the schema's choice lists, in order; a new choice in the schema
// stops the build here until the enum learns it.
static_assert(params::row(params::table::music_name, "key").choices.size() ==
              static_cast<std::size_t>(Key::B) + 1);
static_assert(params::row(params::table::music_name, "scale").choices.size() ==
              static_cast<std::size_t>(Scale::blues) + 1);
static_assert(params::row(params::table::audio_name, "waveform").choices.size() ==
              static_cast<std::size_t>(Waveform::triangle) + 1);

template <typename Enum>
std::optional<Enum> parse_choice(const params::ParameterSpec& spec, std::string_view text) {
  for (std::size_t i = 0; i < spec.choices.size(); ++i) {
    if (spec.choices[i] == text) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

// An enum value out of range (a cast from bad input) becomes the schema default.
template <typename Enum>
Enum valid_or_default(const params::ParameterSpec& spec, Enum value) {
  if (static_cast<std::size_t>(value) < spec.choices.size()) return value;
  return *parse_choice<Enum>(spec, spec.default_text);
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

double clamp_to(const params::ParameterSpec& spec, double value) {
  if (!(value >= spec.min)) return spec.min;  // also catches NaN
  return std::min(value, spec.max);
}

// The one place that knows which member a schema name refers to.
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

const params::ParameterSpec& key_row() { return music_row("key"); }
const params::ParameterSpec& scale_row() { return music_row("scale"); }
const params::ParameterSpec& tempo_row() { return music_row("tempo"); }
const params::ParameterSpec& waveform_row() { return audio_row("waveform"); }

} // namespace

std::optional<Key> parse_key(std::string_view text) { return parse_choice<Key>(key_row(), text); }
std::optional<Scale> parse_scale(std::string_view text) { return parse_choice<Scale>(scale_row(), text); }
std::optional<Waveform> parse_waveform(std::string_view text) {
  return parse_choice<Waveform>(waveform_row(), text);
}
std::string_view to_string(Key key) { return key_row().choices[static_cast<std::size_t>(key)]; }
std::string_view to_string(Scale scale) { return scale_row().choices[static_cast<std::size_t>(scale)]; }
std::string_view to_string(Waveform waveform) {
  return waveform_row().choices[static_cast<std::size_t>(waveform)];
}

bool set_music_field(MusicSettings& s, std::string_view name, std::string_view value) {
  if (name == key_row().name) {
    const auto key = parse_key(value);
    if (key) s.key = *key;
    return key.has_value();
  }
  if (name == scale_row().name) {
    const auto scale = parse_scale(value);
    if (scale) s.scale = *scale;
    return scale.has_value();
  }
  const auto* spec = params::find_parameter(params::table::music_name, name);
  const auto number = parse_number(value);
  if (!spec || !number) return false;
  const double v = clamp_to(*spec, *number);
  if (name == tempo_row().name) {
    s.tempo = static_cast<int>(std::lround(v));
  } else if (double* field = music_number(s, name)) {
    *field = v;
  } else {
    return false;
  }
  return true;
}

bool set_audio_field(AudioSettings& s, std::string_view name, std::string_view value) {
  if (name == waveform_row().name) {
    const auto waveform = parse_waveform(value);
    if (waveform) s.waveform = *waveform;
    return waveform.has_value();
  }
  const auto* spec = params::find_parameter(params::table::audio_name, name);
  const auto number = parse_number(value);
  double* field = audio_number(s, name);
  if (!spec || !number || !field) return false;
  *field = clamp_to(*spec, *number);
  return true;
}

std::optional<FieldValue> get_music_field(const MusicSettings& settings, std::string_view name) {
  if (name == key_row().name) return to_string(settings.key);
  if (name == scale_row().name) return to_string(settings.scale);
  if (name == tempo_row().name) return static_cast<double>(settings.tempo);
  if (const double* field = music_number(const_cast<MusicSettings&>(settings), name)) return *field;
  return std::nullopt;
}

std::optional<FieldValue> get_audio_field(const AudioSettings& settings, std::string_view name) {
  if (name == waveform_row().name) return to_string(settings.waveform);
  if (const double* field = audio_number(const_cast<AudioSettings&>(settings), name)) return *field;
  return std::nullopt;
}

MusicSettings clamped(const MusicSettings& settings) {
  MusicSettings out = settings;
  out.tempo = static_cast<int>(clamp_to(tempo_row(), settings.tempo));
  for (const auto& spec : params::table::music) {
    if (double* field = music_number(out, spec.name)) *field = clamp_to(spec, *field);
  }
  out.key = valid_or_default(key_row(), out.key);
  out.scale = valid_or_default(scale_row(), out.scale);
  return out;
}

AudioSettings clamped(const AudioSettings& settings) {
  AudioSettings out = settings;
  for (const auto& spec : params::table::audio) {
    if (double* field = audio_number(out, spec.name)) *field = clamp_to(spec, *field);
  }
  out.waveform = valid_or_default(waveform_row(), out.waveform);
  return out;
}

}  // namespace harmonic::music
