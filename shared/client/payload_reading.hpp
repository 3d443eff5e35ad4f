// Lenient reads of a server payload's fields: a missing field or one of another type
// reads as null, "" or the fallback, so one odd event never stops the client.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "client/client_state.hpp"

namespace harmonic::client::payload {

inline const nlohmann::json& field(const nlohmann::json& object, const char* name) {
  static const nlohmann::json null_value;
  if (!object.is_object()) return null_value;
  auto it = object.find(name);
  return it == object.end() ? null_value : *it;
}

inline std::string text(const nlohmann::json& object, const char* name) {
  const nlohmann::json& value = field(object, name);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return id_string(value);
  return {};
}

inline double number(const nlohmann::json& object, const char* name, double fallback = 0) {
  const nlohmann::json& value = field(object, name);
  return value.is_number() ? value.get<double>() : fallback;
}

}  // namespace harmonic::client::payload
