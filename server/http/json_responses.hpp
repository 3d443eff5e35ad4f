// How the REST API answers: JSON bodies, and one error shape for every failure,
// {"error":{"code","message","details"}}. A route that cannot go on throws ApiError;
// RestApi::handle turns it into the response, so handlers read as the happy path.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/api.hpp"

namespace harmonic::http {

// Error codes on the wire (the "code" field).
namespace error_code {
inline constexpr const char* bad_request = "bad_request";
inline constexpr const char* unauthorized = "unauthorized";
inline constexpr const char* forbidden = "forbidden";
inline constexpr const char* not_found = "not_found";
inline constexpr const char* method_not_allowed = "method_not_allowed";
inline constexpr const char* conflict = "conflict";
inline constexpr const char* payload_too_large = "payload_too_large";
inline constexpr const char* rate_limited = "rate_limited";
inline constexpr const char* server_error = "server_error";
inline constexpr const char* unavailable = "unavailable";
inline constexpr const char* quota_exceeded = "quota_exceeded";
}  // namespace error_code

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message,
           nlohmann::json details = nlohmann::json::object(),
           std::vector<std::pair<std::string, std::string>> headers = {})
      : std::runtime_error(message),
        status_(status),
        code_(std::move(code)),
        details_(std::move(details)),
        headers_(std::move(headers)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const nlohmann::json& details() const { return details_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  int status_;
  std::string code_;
  nlohmann::json details_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// The common refusals, so every route words them the same way.
ApiError bad_request(const std::string& message, nlohmann::json details = nlohmann::json::object());
ApiError unauthorized(const std::string& message = "sign in first: a valid bearer token is required");
ApiError forbidden(const std::string& message);
ApiError not_found(const std::string& message);
ApiError conflict(const std::string& message);
// 429 rate_limited with Retry-After: whole seconds until `wait_ms` has passed, at least 1.
ApiError too_many_requests(const std::string& message, std::int64_t wait_ms);

ApiResponse json_response(int status, const nlohmann::json& body);
ApiResponse no_content();  // 204
ApiResponse error_response(int status, const std::string& code, const std::string& message,
                           const nlohmann::json& details = nlohmann::json::object());
ApiResponse error_response(const ApiError& error);

// The value of a response header (case-insensitive name), or "" when absent. For tests
// and for the edge.
std::string header_value(const ApiResponse& response, const std::string& name);

}  // namespace harmonic::http
