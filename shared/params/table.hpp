// The parameter schema as one constexpr table: every parameter's name, type, range,
// default, unit and meaning is written here and nowhere else (docs/parameters.md is
// generated from it). The server validates against it, parameter:reset restores its
// defaults, the clients build their panels from it, and the typed settings the
// simulation and music consume (sim/physics_settings.hpp, music/settings.hpp) take
// their defaults and ranges from it at compile time. Adding a parameter is one row
// here plus the code that uses it (docs/architecture.md, "Where to add", "A parameter").
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string_view>

namespace harmonic::params {

enum class ValueType { real, integer, choice, color };

struct ParameterSpec {
  std::string_view name;
  std::string_view label;  // what a person reads next to the control
  ValueType type;
  double min = 0;
  double max = 0;
  double step = 0;              // suggested slider step (0: continuous)
  double default_number = 0;    // real and integer
  std::string_view default_text;  // choice and color
  std::span<const std::string_view> choices;  // choice only
  std::string_view unit;
  std::string_view meaning;
  bool logarithmic = false;     // a slider should move on a log scale (e.g. Hz)
};

struct CategorySpec {
  std::string_view name;   // physics, music, audio, visualization
  std::string_view label;
  std::span<const ParameterSpec> parameters;
};

namespace table {

inline constexpr std::array<std::string_view, 12> keys = {"C",  "C#", "D",  "D#", "E",  "F",
                                                          "F#", "G",  "G#", "A",  "A#", "B"};
inline constexpr std::array<std::string_view, 6> scales = {"major",         "minor",      "harmonic_minor",
                                                           "melodic_minor", "pentatonic", "blues"};
inline constexpr std::array<std::string_view, 4> waveforms = {"sine", "square", "sawtooth", "triangle"};
inline constexpr std::array<std::string_view, 6> color_schemes = {"rainbow",   "monochrome", "complementary",
                                                                  "analogous", "triadic",    "custom"};

constexpr ParameterSpec real(std::string_view name, std::string_view label, double min, double max, double step,
                             double fallback, std::string_view unit, std::string_view meaning, bool log = false) {
  return {name, label, ValueType::real, min, max, step, fallback, {}, {}, unit, meaning, log};
}
constexpr ParameterSpec integer(std::string_view name, std::string_view label, double min, double max,
                                double fallback, std::string_view unit, std::string_view meaning,
                                bool log = false) {
  return {name, label, ValueType::integer, min, max, 1, fallback, {}, {}, unit, meaning, log};
}
constexpr ParameterSpec choice(std::string_view name, std::string_view label,
                               std::span<const std::string_view> options, std::string_view fallback,
                               std::string_view meaning) {
  return {name, label, ValueType::choice, 0, 0, 0, 0, fallback, options, {}, meaning, false};
}
constexpr ParameterSpec color(std::string_view name, std::string_view label, std::string_view fallback,
                              std::string_view meaning) {
  return {name, label, ValueType::color, 0, 0, 0, 0, fallback, {}, {}, meaning, false};
}

inline constexpr std::array physics = {
    real("gravity", "Gravity", 0, 20, 0.01, 9.81, "m/s²", "downward acceleration"),
    real("particle_speed", "Particle speed", 0, 100, 0.1, 10, "m/s", "initial/launch speed scale"),
    real("particle_size", "Particle size", 0.1, 10, 0.01, 1.0, "m", "collision radius"),
    integer("particle_count", "Particle count", 1, 100000, 1000, "", "particles simulated", true),
    real("friction", "Friction", 0, 1, 0.01, 0.3, "", "contact friction"),
    real("elasticity", "Elasticity", 0, 1, 0.01, 0.7, "", "bounciness of wall and particle collisions"),
    real("air_resistance", "Air resistance", 0, 1, 0.01, 0.1, "", "quadratic drag coefficient"),
    real("density", "Density", 0, 10, 0.01, 1.0, "kg/m³", "medium density (scales drag)"),
    real("time_scale", "Time scale", 0.1, 10, 0.01, 1.0, "×", "simulation speed"),
    real("field_strength", "Field strength", -10, 10, 0.01, 0, "", "central attractor (+) or repulsor (−)"),
};

inline constexpr std::array music = {
    integer("tempo", "Tempo", 40, 200, 120, "BPM", "notes are quantised to this beat grid"),
    choice("key", "Key", keys, "C", "tonic"),
    choice("scale", "Scale", scales, "major", "pitch set"),
    real("harmony", "Harmony", 0, 1, 0.01, 0.5, "", "chance of adding chord tones vs. passing tones"),
    real("rhythm_complexity", "Rhythm complexity", 0, 1, 0.01, 0.5, "", "finer subdivisions and syncopation"),
    real("melody_range", "Melody range", 0, 1, 0.01, 0.5, "", "octave span used (0: 1 octave, 1: 4 octaves)"),
};

inline constexpr std::array audio = {
    real("volume", "Volume", 0, 1, 0.01, 0.8, "", "output level"),
    choice("waveform", "Waveform", waveforms, "sine", "oscillator shape"),
    real("attack", "Attack", 0.001, 5, 0.001, 0.1, "s", "envelope rise time", true),
    real("decay", "Decay", 0.001, 5, 0.001, 0.2, "s", "envelope fall to sustain", true),
    real("sustain", "Sustain", 0, 1, 0.01, 0.7, "level", "held level"),
    real("release", "Release", 0.001, 10, 0.001, 0.3, "s", "fade after the note ends", true),
    real("filter_cutoff", "Filter cutoff", 20, 20000, 1, 2000, "Hz", "low-pass cutoff", true),
    real("filter_resonance", "Filter resonance", 0, 1, 0.01, 0.3, "", "emphasis at the cutoff"),
    real("reverb_amount", "Reverb", 0, 1, 0.01, 0.3, "", "wet mix"),
    real("delay_time", "Delay time", 0, 2, 0.01, 0.3, "s", "echo spacing"),
    real("delay_feedback", "Delay feedback", 0, 0.95, 0.01, 0.3, "", "echo repeats"),
    real("lfo_rate", "LFO rate", 0, 20, 0.01, 1.0, "Hz", "modulation speed"),
    real("lfo_depth", "LFO depth", 0, 1, 0.01, 0.2, "", "modulation amount"),
};

inline constexpr std::array visualization = {
    choice("color_scheme", "Color scheme", color_schemes, "rainbow",
           "how particle colours are chosen (custom uses particle color)"),
    color("background_color", "Background", "#05060A", "background colour"),
    color("particle_color", "Particle color", "#FFFFFF", "particle colour for the custom scheme"),
    color("glow_color", "Glow color", "#00FF88", "glow colour"),
    real("particle_size", "Particle size", 0.5, 20, 0.1, 3.0, "px", "pixels at zoom 1"),
    real("glow_intensity", "Glow intensity", 0, 1, 0.01, 0.5, "", "strength of the glow"),
    real("trail_length", "Trail length", 0, 1, 0.01, 0.5, "s", "fraction of a second of fading trail"),
    real("brightness", "Brightness", 0, 1, 0.01, 0.8, "", "overall brightness"),
    real("saturation", "Saturation", 0, 1, 0.01, 0.8, "", "colour saturation"),
    real("camera_zoom", "Zoom", 0.1, 10, 0.01, 1.0, "×", "camera zoom", true),
    real("camera_rotation", "Rotation", -180, 180, 0.1, 0, "°", "camera rotation in degrees"),
};

// The category names, written once: code that walks the categories uses these
// constants or categories(), never its own string literals.
inline constexpr std::string_view physics_name = "physics";
inline constexpr std::string_view music_name = "music";
inline constexpr std::string_view audio_name = "audio";
inline constexpr std::string_view visualization_name = "visualization";

inline constexpr std::array all_categories = {
    CategorySpec{physics_name, "Physics", physics},
    CategorySpec{music_name, "Music", music},
    CategorySpec{audio_name, "Audio", audio},
    CategorySpec{visualization_name, "Visualization", visualization},
};

}  // namespace table

// physics, music, audio, visualization, in that order.
constexpr std::span<const CategorySpec> categories() { return table::all_categories; }

// Searches by index, never by comparing pointers: GCC's UBSan instrumentation (the
// sanitized CI build) makes a null test of a pointer into a static table non-constant.
inline constexpr std::size_t not_in_schema = static_cast<std::size_t>(-1);

constexpr std::size_t category_index(std::string_view category) {
  for (std::size_t i = 0; i < table::all_categories.size(); ++i) {
    if (table::all_categories[i].name == category) return i;
  }
  return not_in_schema;
}

constexpr std::size_t parameter_index(const CategorySpec& spec, std::string_view name) {
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    if (spec.parameters[i].name == name) return i;
  }
  return not_in_schema;
}

constexpr const CategorySpec* find_category(std::string_view category) {
  const auto i = category_index(category);
  return i == not_in_schema ? nullptr : &table::all_categories[i];
}

constexpr const ParameterSpec* find_parameter(std::string_view category, std::string_view name) {
  const auto c = category_index(category);
  if (c == not_in_schema) return nullptr;
  const auto& spec = table::all_categories[c];
  const auto p = parameter_index(spec, name);
  return p == not_in_schema ? nullptr : &spec.parameters[p];
}

// The row of a parameter known at compile time: a misspelt name does not compile.
// Typed settings use it for their defaults and ranges.
consteval const ParameterSpec& row(std::string_view category, std::string_view name) {
  const auto c = category_index(category);
  if (c == not_in_schema) throw std::logic_error("no such category in the schema");
  const auto& spec = table::all_categories[c];
  const auto p = parameter_index(spec, name);
  if (p == not_in_schema) throw std::logic_error("no such parameter in the schema");
  return spec.parameters[p];
}

}  // namespace harmonic::params
