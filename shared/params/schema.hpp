// The canonical parameter schema (PARAMETERS.md) as one table in code. The server
// validates against it, parameter:reset restores its defaults, and the clients build
// their panels from it, so this is the only place a range or default is written down.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

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

// physics, music, audio, visualization, in that order.
std::span<const CategorySpec> categories();
const CategorySpec* find_category(std::string_view category);
const ParameterSpec* find_parameter(std::string_view category, std::string_view name);

// A parameter's default as it travels on the wire (number or string).
nlohmann::json default_value(const ParameterSpec& spec);
// {"gravity": 9.81, ...} for one category; an empty object for an unknown one.
nlohmann::json default_values(std::string_view category);
// {"physics": {...}, "music": {...}, "audio": {...}, "visualization": {...}}
nlohmann::json all_defaults();

}  // namespace harmonic::params
