// Reading fields out of an untrusted event payload. Each helper either returns a value
// of the right type and size or throws EventError(invalid_parameters) naming the field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace harmonic::core {

const nlohmann::json& require_object(const nlohmann::json& payload, std::string_view what = "payload");
std::string require_string(const nlohmann::json& object, std::string_view field, std::size_t max_bytes = 256);
std::optional<std::string> optional_string(const nlohmann::json& object, std::string_view field,
                                           std::size_t max_bytes = 256);
double require_finite_number(const nlohmann::json& object, std::string_view field);
// The largest integer a JavaScript number holds exactly (2^53 - 1).
inline constexpr std::int64_t max_safe_integer = (std::int64_t{1} << 53) - 1;
// A whole number in [min, max] (a JSON integer, or a float with no fraction: clients in
// JavaScript and our own send 1.7e12 as either). Anything else, 1e300 included, is refused
// rather than converted, which would be undefined behaviour. min and max lie within
// +-max_safe_integer, so they compare exactly with a double.
std::int64_t require_integer(const nlohmann::json& object, std::string_view field, std::int64_t min,
                             std::int64_t max);

}  // namespace harmonic::core
