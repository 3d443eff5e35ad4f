// A refused event. Handlers throw it; the hub turns it into the failed ack or the
// system:error the client sees, so no handler writes error replies itself.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "protocol/error_codes.hpp"

namespace harmonic::core {

class EventError : public std::runtime_error {
 public:
  EventError(std::string_view code, const std::string& message, nlohmann::json details = nlohmann::json::object())
      : std::runtime_error(message), code_(code), details_(std::move(details)) {}
  const std::string& code() const { return code_; }
  const nlohmann::json& details() const { return details_; }

 private:
  std::string code_;
  nlohmann::json details_;
};

}  // namespace harmonic::core
