// Reading a JSON request body: the body must be one JSON object, and each field is read
// with its type checked. Anything else is a 400 (ApiError) naming the field, so routes
// never see a half-typed request.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/api.hpp"

namespace harmonic::http {

// The body as a JSON object; throws bad_request when it is empty, not JSON, or not an object.
nlohmann::json parse_json_object(const ApiRequest& request);

// A field that must be a string. Throws bad_request when missing or of another type.
std::string required_string(const nlohmann::json& body, const std::string& field);
// nullopt when absent or null; throws bad_request when present with another type.
std::optional<std::string> optional_string(const nlohmann::json& body, const std::string& field);
std::optional<bool> optional_bool(const nlohmann::json& body, const std::string& field);

// The token of "Authorization: Bearer <token>", or nullopt.
std::optional<std::string> bearer_token(const ApiRequest& request);

}  // namespace harmonic::http
