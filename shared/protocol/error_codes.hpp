// The error codes of the protocol (docs/protocol.md, "Conventions"), used in system:error and
// in failed acks: {code, message, details}.
#pragma once

#include <string_view>

namespace harmonic::protocol::error_code {
inline constexpr std::string_view unauthorized = "unauthorized";
inline constexpr std::string_view invalid_universe = "invalid_universe";
inline constexpr std::string_view invalid_parameters = "invalid_parameters";
inline constexpr std::string_view rate_limited = "rate_limited";
inline constexpr std::string_view server_error = "server_error";
// The account already has --max-sockets-per-user realtime connections open.
inline constexpr std::string_view too_many_connections = "too_many_connections";
}  // namespace harmonic::protocol::error_code

// details.reason of a server_error (socket) or REST error when the server's disk is full
// or failing: writes are refused until it recovers, reads still work.
namespace harmonic::protocol::error_reason {
inline constexpr std::string_view disk_full = "disk_full";
}  // namespace harmonic::protocol::error_reason
