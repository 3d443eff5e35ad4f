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

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool is_blank(std::string_view text) {
  for (const char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  }
  return true;
}

}  // namespace harmonic::core
