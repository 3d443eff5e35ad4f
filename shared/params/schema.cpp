#include "params/schema.hpp"

namespace harmonic::params {

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
  for (const auto& category : categories()) all[std::string(category.name)] = default_values(category.name);
  return all;
}

}  // namespace harmonic::params
