#include "params/validation.hpp"

#include <cctype>
#include <cmath>
#include <sstream>

namespace harmonic::params {
namespace {

std::string field_name(std::string_view category, std::string_view name) {
  return std::string(category) + "." + std::string(name);
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

bool is_hex_color(const std::string& text) {
  if (text.size() != 7 || text[0] != '#') return false;
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

nlohmann::json range_of(const ParameterSpec& spec) { return {{"min", spec.min}, {"max", spec.max}}; }

}  // namespace

bool normalise_value(const ParameterSpec& spec, std::string_view category, const nlohmann::json& value,
                     nlohmann::json& out, std::vector<FieldError>& errors) {
  // The field's name and range are spelled out only for an error: building them for every
  // accepted value cost more than the check itself.
  const auto field = [&] { return field_name(category, spec.name); };
  const auto range_text = [&] { return format_number(spec.min) + " and " + format_number(spec.max); };
  switch (spec.type) {
    case ValueType::real: {
      // JSON booleans are not numbers, and 1e999 parses to infinity: both refused.
      if (!value.is_number() || !std::isfinite(value.get<double>())) {
        errors.push_back({field(), "must be a number between " + range_text(), range_of(spec)});
        return false;
      }
      const double number = value.get<double>();
      if (number < spec.min || number > spec.max) {
        errors.push_back({field(), "must be between " + range_text(), range_of(spec)});
        return false;
      }
      out = number;
      return true;
    }
    case ValueType::integer: {
      const bool integral = value.is_number_integer() ||
                            (value.is_number_float() && std::isfinite(value.get<double>()) &&
                             std::floor(value.get<double>()) == value.get<double>());
      if (!integral) {
        errors.push_back({field(), "must be a whole number between " + range_text(), range_of(spec)});
        return false;
      }
      const double number = value.get<double>();
      if (number < spec.min || number > spec.max) {
        errors.push_back({field(), "must be between " + range_text(), range_of(spec)});
        return false;
      }
      out = static_cast<std::int64_t>(number);
      return true;
    }
    case ValueType::choice: {
      if (value.is_string()) {
        const auto& text = value.get_ref<const std::string&>();
        for (const auto option : spec.choices) {
          if (option == text) {
            out = text;
            return true;
          }
        }
      }
      auto options = nlohmann::json::array();
      std::string listed;
      for (const auto option : spec.choices) {
        options.push_back(std::string(option));
        listed += (listed.empty() ? "" : ", ") + std::string(option);
      }
      errors.push_back({field(), "must be one of " + listed, {{"values", options}}});
      return false;
    }
    case ValueType::color: {
      if (value.is_string() && is_hex_color(value.get<std::string>())) {
        auto text = value.get<std::string>();
        for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out = text;
        return true;
      }
      errors.push_back({field(), "must be a colour written #RRGGBB", {{"format", "#RRGGBB"}}});
      return false;
    }
  }
  return false;
}

ValidationResult validate_parameters(std::string_view category, const nlohmann::json& parameters) {
  ValidationResult result;
  const auto* category_spec = find_category(category);
  if (!category_spec) {
    auto names = nlohmann::json::array();
    for (const auto& known : categories()) names.push_back(std::string(known.name));
    result.errors.push_back({"category", "unknown category '" + std::string(category) + "'", {{"values", names}}});
    return result;
  }
  if (!parameters.is_object() || parameters.empty()) {
    result.errors.push_back({std::string(category), "parameters must be a non-empty object", nullptr});
    return result;
  }
  for (const auto& [name, value] : parameters.items()) {
    const auto* spec = find_parameter(category, name);
    if (!spec) {
      result.errors.push_back({field_name(category, name), "is not a parameter of " + std::string(category), nullptr});
      continue;
    }
    nlohmann::json normalised;
    if (normalise_value(*spec, category, value, normalised, result.errors)) result.values[name] = normalised;
  }
  if (!result.ok()) result.values = nlohmann::json::object();
  return result;
}

nlohmann::json describe_errors(const std::vector<FieldError>& errors) {
  auto fields = nlohmann::json::array();
  for (const auto& error : errors) {
    nlohmann::json entry = {{"field", error.field}, {"message", error.message}};
    if (!error.allowed.is_null()) entry["allowed"] = error.allowed;
    fields.push_back(std::move(entry));
  }
  return {{"fields", fields}};
}

std::string summarise_errors(const std::vector<FieldError>& errors) {
  std::string summary;
  for (const auto& error : errors) {
    if (!summary.empty()) summary += "; ";
    summary += error.field + " " + error.message;
  }
  return summary;
}

bool same_value(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

}  // namespace harmonic::params
