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
  auto generated = auth::random_secret_hex();
  store.put_setting(key, generated);
  spdlog::info("generated a new token-signing secret and kept it in the data dir");
  return generated;
}

}  // namespace harmonic::app
