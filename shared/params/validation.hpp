// Checks parameter values from untrusted clients against the schema. A request is
// accepted whole or refused whole: every offending field is reported with what would
// have been allowed, and nothing is applied.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "params/schema.hpp"

namespace harmonic::params {

struct FieldError {
  std::string field;    // "physics.gravity", or "physics" for a category-level problem
  std::string message;  // "must be a number between 0 and 20"
  nlohmann::json allowed;  // {"min":0,"max":20} / {"values":[...]} / {"format":"#RRGGBB"}
};

struct ValidationResult {
  nlohmann::json values = nlohmann::json::object();  // normalised accepted values (only if ok())
  std::vector<FieldError> errors;
  bool ok() const { return errors.empty(); }
};

// One value: reals become doubles, integers int64, colours upper-case "#RRGGBB".
// On failure returns false and appends to `errors`.
bool normalise_value(const ParameterSpec& spec, std::string_view category, const nlohmann::json& value,
                     nlohmann::json& out, std::vector<FieldError>& errors);

// `parameters` must be a non-empty object of known names in `category`.
ValidationResult validate_parameters(std::string_view category, const nlohmann::json& parameters);

// The `details` object of an invalid_parameters error: {"fields":[{field,message,allowed}...]}
nlohmann::json describe_errors(const std::vector<FieldError>& errors);
// A one-line human summary: "physics.gravity must be a number between 0 and 20; ..."
std::string summarise_errors(const std::vector<FieldError>& errors);

// Exact comparison as used by parameter:delta: numbers compare by value (15 == 15.0),
// everything else by JSON equality.
bool same_value(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace harmonic::params
