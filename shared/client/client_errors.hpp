// Errors the client notices itself, written as error objects shaped like the server's
// ({code, details}, docs/protocol.md "Conventions") so the model keeps one kind of error and
// the UI words them all in one place (ui/display_text.hpp, describe_error).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace harmonic::client::errors {

inline constexpr std::string_view unreachable = "unreachable";              // no HTTP answer at all
inline constexpr std::string_view http_status = "http_status";              // an error status without an error body; details.status
inline constexpr std::string_view unexpected_answer = "unexpected_answer";  // an answer without what it must hold
inline constexpr std::string_view session_expired = "session_expired";      // the saved token was refused

inline nlohmann::json make(std::string_view code, nlohmann::json details = nlohmann::json::object()) {
  return {{"code", code}, {"details", std::move(details)}};
}

}  // namespace harmonic::client::errors
