// The access log: one line per HTTP request and per realtime connection opened and closed,
// with the client's address, the signed-in user and how long it took (docs/operations.md,
// "Logs"). Written through the spdlog logger named kAccessLoggerName at level info, so
// --log-level warn silences it; its message is one JSON object of fields, which the
// server's --log-format json formatter (app/log_format.hpp) lifts into the log line.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace spdlog {
class logger;
}

namespace harmonic::net {

inline constexpr const char* kAccessLoggerName = "access";

// The access logger: created on first use from the default logger (same sinks), and
// registered so that spdlog::set_formatter reaches it too.
std::shared_ptr<spdlog::logger> access_logger();

// Whether the access log writes at all (not with --log-level warn): a request's fields
// need not be gathered otherwise.
bool access_log_enabled();

struct HttpAccess {
  std::string method;
  std::string path;    // without the query: it may hold a polling session's sid
  std::string client;  // net/client_address.hpp
  std::string user;    // "" when the request was not signed in
  int status = 0;
  std::chrono::steady_clock::duration duration{};
};
void log_http_request(const HttpAccess& access);

// `transport` is "websocket" or "polling"; `connection` the registry's id.
void log_socket_connect(std::string_view transport, std::uint64_t connection, std::string_view client);
void log_socket_disconnect(std::string_view transport, std::uint64_t connection, std::string_view client,
                           std::string_view user, std::chrono::steady_clock::duration duration);

}  // namespace harmonic::net
