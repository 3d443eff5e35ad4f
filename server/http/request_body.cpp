#include "http/request_body.hpp"

#include <algorithm>
#include <cctype>

#include "http/json_responses.hpp"

namespace harmonic::http {

nlohmann::json parse_json_object(const ApiRequest& request) {
  if (request.body.empty()) throw bad_request("the request body must be a JSON object");
  auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) throw bad_request("the request body is not valid JSON");
  if (!body.is_object()) throw bad_request("the request body must be a JSON object");
  return body;
}

std::string required_string(const nlohmann::json& body, const std::string& field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    throw bad_request("'" + field + "' is required", {{"field", field}});
  }
  if (!it->is_string()) throw bad_request("'" + field + "' must be a string", {{"field", field}});
  return it->get<std::string>();
}

std::optional<std::string> optional_string(const nlohmann::json& body, const std::string& field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw bad_request("'" + field + "' must be a string", {{"field", field}});
  return it->get<std::string>();
}

std::optional<bool> optional_bool(const nlohmann::json& body, const std::string& field) {
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw bad_request("'" + field + "' must be true or false", {{"field", field}});
  return it->get<bool>();
}

std::optional<std::string> bearer_token(const ApiRequest& request) {
  const auto it = request.headers.find("authorization");
  if (it == request.headers.end()) return std::nullopt;
  const std::string& value = it->second;
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size() ||
      !std::equal(scheme.begin(), scheme.end(), value.begin(),
                  [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); })) {
    return std::nullopt;
  }
  auto token = value.substr(scheme.size());
  const auto first = token.find_first_not_of(' ');
  const auto last = token.find_last_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  return token.substr(first, last - first + 1);
}

}  // namespace harmonic::http
