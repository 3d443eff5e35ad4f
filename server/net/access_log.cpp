#include "net/access_log.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace harmonic::net {

namespace {

double milliseconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

const std::shared_ptr<spdlog::logger>& logger() {
  static const std::shared_ptr<spdlog::logger> access = access_logger();
  return access;
}

// Callers ask access_log_enabled() first: the fields are not even built for nothing.
void write(const nlohmann::json& fields) {
  // Client-sent text (a path) may not be UTF-8: replaced rather than failing the request.
  logger()->info("{}", fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

std::shared_ptr<spdlog::logger> access_logger() {
  // Looked up once: spdlog::get takes the registry's lock on every call.
  static const std::shared_ptr<spdlog::logger> logger = [] {
    if (auto existing = spdlog::get(kAccessLoggerName)) return existing;
    auto created = spdlog::default_logger()->clone(kAccessLoggerName);
    spdlog::register_logger(created);
    return created;
  }();
  return logger;
}

bool access_log_enabled() { return logger()->should_log(spdlog::level::info); }

void log_http_request(const HttpAccess& access) {
  if (!access_log_enabled()) return;
  write({{"access", "http"},
         {"method", access.method},
         {"path", access.path},
         {"status", access.status},
         {"client", access.client},
         {"user", access.user},
         {"duration_ms", milliseconds(access.duration)}});
}

void log_socket_connect(std::string_view transport, std::uint64_t connection, std::string_view client) {
  if (!access_log_enabled()) return;
  write({{"access", "socket_connect"}, {"transport", transport}, {"connection", connection}, {"client", client}});
}

void log_socket_disconnect(std::string_view transport, std::uint64_t connection, std::string_view client,
                           std::string_view user, std::chrono::steady_clock::duration duration) {
  if (!access_log_enabled()) return;
  write({{"access", "socket_disconnect"},
         {"transport", transport},
         {"connection", connection},
         {"client", client},
         {"user", user},
         {"duration_ms", milliseconds(duration)}});
}

}  // namespace harmonic::net
