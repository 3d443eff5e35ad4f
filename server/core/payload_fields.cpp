#include "core/payload_fields.hpp"

#include <cmath>

#include "core/event_error.hpp"

namespace harmonic::core {
namespace {
[[noreturn]] void refuse(std::string_view field, const std::string& message) {
  throw EventError(protocol::error_code::invalid_parameters, std::string(field) + " " + message,
                   {{"field", std::string(field)}});
}
}  // namespace

const nlohmann::json& require_object(const nlohmann::json& payload, std::string_view what) {
  if (!payload.is_object()) refuse(what, "must be an object");
  return payload;
}

std::string require_string(const nlohmann::json& object, std::string_view field, std::size_t max_bytes) {
  const auto it = object.find(field);
  if (it == object.end()) refuse(field, "is required");
  if (!it->is_string()) refuse(field, "must be a string");
  const auto& text = it->get_ref<const std::string&>();
  if (text.size() > max_bytes) refuse(field, "is too long");
  return text;
}

std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view field,
                                           std::size_t max_bytes) {
  if (!object.contains(field) || object.at(std::string(field)).is_null()) return std::nullopt;
  return require_string(object, field, max_bytes);
}

double require_finite_number(const nlohmann::json& object, std::string_view field) {
  const auto it = object.find(field);
  if (it == object.end()) refuse(field, "is required");
  if (!it->is_number() || !std::isfinite(it->get<double>())) refuse(field, "must be a finite number");
  return it->get<double>();
}

std::int64_t require_integer(const nlohmann::json& object, std::string_view field, std::int64_t min,
                             std::int64_t max) {
  const auto it = object.find(field);
  if (it == object.end()) refuse(field, "is required");
  const auto range = "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (it->is_number_unsigned()) {
    const auto value = it->get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(max) || (min > 0 && value < static_cast<std::uint64_t>(min))) {
      refuse(field, range);
    }
    return static_cast<std::int64_t>(value);
  }
  if (it->is_number_integer()) {
    const auto value = it->get<std::int64_t>();
    if (value < min || value > max) refuse(field, range);
    return value;
  }
  if (it->is_number_float()) {
    // Compared as doubles before any conversion; the bounds used here are exact doubles.
    const auto value = it->get<double>();
    if (!std::isfinite(value) || value != std::floor(value) || value < static_cast<double>(min) ||
        value > static_cast<double>(max)) {
      refuse(field, range);
    }
    return static_cast<std::int64_t>(value);
  }
  refuse(field, range);
}

}  // namespace harmonic::core
