#include "http/json_responses.hpp"

#include <algorithm>
#include <cctype>

namespace harmonic::http {

ApiError bad_request(const std::string& message, nlohmann::json details) {
  return ApiError(400, error_code::bad_request, message, std::move(details));
}

ApiError unauthorized(const std::string& message) {
  return ApiError(401, error_code::unauthorized, message, nlohmann::json::object(),
                  {{"WWW-Authenticate", "Bearer"}});
}

ApiError forbidden(const std::string& message) { return ApiError(403, error_code::forbidden, message); }

ApiError not_found(const std::string& message) { return ApiError(404, error_code::not_found, message); }

ApiError conflict(const std::string& message) { return ApiError(409, error_code::conflict, message); }

ApiError too_many_requests(const std::string& message, std::int64_t wait_ms) {
  const auto seconds = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
  return ApiError(429, error_code::rate_limited, message, {{"retry_after_seconds", seconds}},
                  {{"Retry-After", std::to_string(seconds)}});
}

ApiResponse json_response(int status, const nlohmann::json& body) {
  ApiResponse response;
  response.status = status;
  response.content_type = "application/json";
  // Replace invalid UTF-8 rather than throw: stored text is valid, but a response must
  // never fail to serialise.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

ApiResponse no_content() {
  ApiResponse response;
  response.status = 204;
  response.content_type.clear();
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

ApiResponse error_response(int status, const std::string& code, const std::string& message,
                           const nlohmann::json& details) {
  return json_response(status, {{"error", {{"code", code}, {"message", message}, {"details", details}}}});
}

ApiResponse error_response(const ApiError& error) {
  auto response = error_response(error.status(), error.code(), error.what(), error.details());
  for (const auto& header : error.headers()) response.headers.push_back(header);
  return response;
}

std::string header_value(const ApiResponse& response, const std::string& name) {
  const auto same = [&](const std::string& other) {
    return std::equal(name.begin(), name.end(), other.begin(), other.end(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
  };
  for (const auto& [key, value] : response.headers) {
    if (same(key)) return value;
  }
  return {};
}

}  // namespace harmonic::http
