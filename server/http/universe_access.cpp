#include "http/universe_access.hpp"

#include "core/wire_format.hpp"
#include "http/json_responses.hpp"

namespace harmonic::http {

UniverseAccess visible_universe(ApiContext& context, const std::string& universe_id, const storage::User& user) {
  auto universe = context.store.find_universe(universe_id);
  const auto role = universe ? context.store.role_of(universe_id, user.id) : storage::Role::none;
  if (!universe || role == storage::Role::none) throw not_found("no such universe");
  return {std::move(*universe), role};
}

void require_editor(const UniverseAccess& access, const std::string& action) {
  if (access.role < storage::Role::collaborator) {
    throw forbidden("only the owner and collaborators may " + action);
  }
}

void require_owner(const UniverseAccess& access, const std::string& action) {
  if (access.role != storage::Role::owner) throw forbidden("only the owner may " + action);
}

const char* role_name(storage::Role role) {
  switch (role) {
    case storage::Role::owner:
      return "owner";
    case storage::Role::collaborator:
      return "collaborator";
    case storage::Role::viewer:
      return "viewer";
    case storage::Role::none:
      break;
  }
  return "none";
}

nlohmann::json universe_with_role(const storage::Universe& universe, storage::Role role) {
  auto json = core::universe_to_json(universe);
  json["role"] = role_name(role);
  return json;
}

}  // namespace harmonic::http
