// Reading fields out of an untrusted event payload. Each helper either returns a value
// of the right type and size or throws EventError(invalid_parameters) naming the field.
#pragma once

#include <cstddef>
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
// Unicode code points in valid UTF-8 (the JSON parser has already rejected invalid UTF-8).
std::size_t utf8_length(std::string_view text);
bool is_blank(std::string_view text);

}  // namespace harmonic::core
