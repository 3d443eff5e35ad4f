// Rights on one universe, as docs/protocol.md ("Conventions") fixes them: owner and collaborators edit name,
// description and parameters; only the owner deletes, changes is_public and manages
// collaborators; anyone signed in may view a public universe.
//
// A universe the caller may not see answers 404 exactly like one that does not exist,
// so ids cannot be probed; one the caller sees but may not change answers 403.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "http/api_context.hpp"
#include "storage/store.hpp"

namespace harmonic::http {

struct UniverseAccess {
  storage::Universe universe;
  storage::Role role = storage::Role::none;  // never none once returned
};

// Throws not_found when the universe does not exist or the user may not see it.
UniverseAccess visible_universe(ApiContext& context, const std::string& universe_id, const storage::User& user);

// Throw forbidden (403) naming `action` when the role is weaker than required.
void require_editor(const UniverseAccess& access, const std::string& action);
void require_owner(const UniverseAccess& access, const std::string& action);

// "owner", "collaborator", "viewer" ("none" never reaches the wire).
const char* role_name(storage::Role role);

// universe_to_json plus "role".
nlohmann::json universe_with_role(const storage::Universe& universe, storage::Role role);

}  // namespace harmonic::http
