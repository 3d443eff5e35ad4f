// What the REST API tells the realtime side when it changes a universe, so people in
// the room see renames, new collaborators and deletions at once, and when it revokes
// tokens, so sockets signed in with them do not outlive them. The realtime hub
// implements it; REST code depends only on this interface.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "storage/store.hpp"

namespace harmonic::core {

class RealtimeNotifier {
 public:
  virtual ~RealtimeNotifier() = default;
  // name/description/is_public changed; `changes` holds only the changed fields.
  virtual void universe_updated(const storage::Universe& universe, const nlohmann::json& changes,
                                const storage::User& by) = 0;
  // Parameters were replaced wholesale (e.g. by an import).
  virtual void parameters_replaced(const std::string& universe_id) = 0;
  // A collaborator was added or removed: rights of people in the room may have changed.
  virtual void collaborators_changed(const std::string& universe_id, const std::string& message) = 0;
  // Everyone in the room is told and removed from it.
  virtual void universe_deleted(const std::string& universe_id) = 0;
  // One token was revoked (logout): sockets that authenticated with it are told
  // (system:error unauthorized) and closed.
  virtual void token_revoked(const std::string& user_id, const std::string& token_id) = 0;
  // Every token of the user was revoked (password change): all their sockets are closed.
  virtual void tokens_revoked(const std::string& user_id) = 0;
};

}  // namespace harmonic::core
