#include "app/secret.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "auth/secret.hpp"

namespace harmonic::app {

std::string resolve_jwt_secret(const std::string& from_command_line, storage::Store& store) {
  if (!from_command_line.empty()) return from_command_line;
  if (const char* from_environment = std::getenv("HARMONIC_JWT_SECRET"); from_environment && *from_environment) {
    return from_environment;
  }
  constexpr auto key = "jwt_secret";
  if (auto kept = store.get_setting(key)) return *kept;
  // Another server on the same PostgreSQL database may be doing the same right now: the
  // first one kept is the one every server signs with.
  auto generated = store.keep_first_setting(key, auth::random_secret_hex());
  spdlog::info("generated a new token-signing secret and kept it in the store");
  return generated;
}

}  // namespace harmonic::app
