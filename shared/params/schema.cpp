#include "params/schema.hpp"

#include <array>

namespace harmonic::params {
namespace {

using V = ValueType;

constexpr std::array<std::string_view, 12> keys = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
constexpr std::array<std::string_view, 6> scales = {"major",          "minor",      "harmonic_minor",
                                                    "melodic_minor",  "pentatonic", "blues"};
constexpr std::array<std::string_view, 4> waveforms = {"sine", "square", "sawtooth", "triangle"};
constexpr std::array<std::string_view, 6> color_schemes = {"rainbow",   "monochrome", "complementary",
                                                           "analogous", "triadic",    "custom"};

ParameterSpec real(std::string_view name, std::string_view label, double min, double max, double step,
                   double fallback, std::string_view unit, std::string_view meaning, bool log = false) {
  return {name, label, V::real, min, max, step, fallback, {}, {}, unit, meaning, log};
}
ParameterSpec integer(std::string_view name, std::string_view label, double min, double max, double fallback,
                      std::string_view unit, std::string_view meaning, bool log = false) {
  return {name, label, V::integer, min, max, 1, fallback, {}, {}, unit, meaning, log};
}
ParameterSpec choice(std::string_view name, std::string_view label, std::span<const std::string_view> options,
                     std::string_view fallback, std::string_view meaning) {
  return {name, label, V::choice, 0, 0, 0, 0, fallback, options, {}, meaning, false};
}
ParameterSpec color(std::string_view name, std::string_view label, std::string_view fallback,
                    std::string_view meaning) {
  return {name, label, V::color, 0, 0, 0, 0, fallback, {}, {}, meaning, false};
}

const std::array physics = {
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

const std::array music = {
    integer("tempo", "Tempo", 40, 200, 120, "BPM", "notes are quantised to this beat grid"),
    choice("key", "Key", keys, "C", "tonic"),
    choice("scale", "Scale", scales, "major", "pitch set"),
    real("harmony", "Harmony", 0, 1, 0.01, 0.5, "", "chance of adding chord tones vs. passing tones"),
    real("rhythm_complexity", "Rhythm complexity", 0, 1, 0.01, 0.5, "", "finer subdivisions and syncopation"),
    real("melody_range", "Melody range", 0, 1, 0.01, 0.5, "", "octave span used (0: 1 octave, 1: 4 octaves)"),
};

const std::array audio = {
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

const std::array visualization = {
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

const std::array all_categories = {
    CategorySpec{"physics", "Physics", physics},
    CategorySpec{"music", "Music", music},
    CategorySpec{"audio", "Audio", audio},
    CategorySpec{"visualization", "Visualization", visualization},
};

}  // namespace

std::span<const CategorySpec> categories() { return all_categories; }

const CategorySpec* find_category(std::string_view category) {
  for (const auto& spec : all_categories) {
    if (spec.name == category) return &spec;
  }
  return nullptr;
}

const ParameterSpec* find_parameter(std::string_view category, std::string_view name) {
  const auto* spec = find_category(category);
  if (!spec) return nullptr;
  for (const auto& parameter : spec->parameters) {
    if (parameter.name == name) return &parameter;
  }
  return nullptr;
}

nlohmann::json default_value(const ParameterSpec& spec) {
  switch (spec.type) {
    case ValueType::real: return spec.default_number;
    case ValueType::integer: return static_cast<std::int64_t>(spec.default_number);
    case ValueType::choice:
    case ValueType::color: return std::string(spec.default_text);
  }
  return nullptr;
}

nlohmann::json default_values(std::string_view category) {
  auto values = nlohmann::json::object();
  if (const auto* spec = find_category(category)) {
    for (const auto& parameter : spec->parameters) values[std::string(parameter.name)] = default_value(parameter);
  }
  return values;
}

nlohmann::json all_defaults() {
  auto all = nlohmann::json::object();
  for (const auto& category : all_categories) all[std::string(category.name)] = default_values(category.name);
  return all;
}

}  // namespace harmonic::params
