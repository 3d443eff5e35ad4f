// The parameter schema (params/table.hpp, documented in docs/parameters.md) and the
// defaults as they travel on the wire.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "params/table.hpp"

namespace harmonic::params {

// A parameter's default as it travels on the wire (number or string).
nlohmann::json default_value(const ParameterSpec& spec);
// {"gravity": 9.81, ...} for one category; an empty object for an unknown one.
nlohmann::json default_values(std::string_view category);
// {"physics": {...}, "music": {...}, "audio": {...}, "visualization": {...}}
nlohmann::json all_defaults();

}  // namespace harmonic::params
