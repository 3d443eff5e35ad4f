// The user-editable fields of a universe as they arrive in a request body (create,
// update and import share them): read with their types checked, validated, the name
// trimmed. Throws bad_request (ApiError) naming the field.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace harmonic::http {

struct UniverseFields {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> is_public;
};

UniverseFields read_universe_fields(const nlohmann::json& body);

}  // namespace harmonic::http
