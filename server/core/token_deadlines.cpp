// A socket lives no longer than the token it authenticated with: it is ended when that
// token expires (checked from on_tick) or is revoked (logout, password change: REST tells
// the hub through RealtimeNotifier). The client hears why, as system:error `unauthorized`,
// before the close, and signs in again.
//
// Cheap by construction: on_tick looks only at the front of a deadline-ordered set, and a
// revocation only at the sockets of that user.
#include "core/realtime_hub.hpp"
#include "protocol/error_codes.hpp"

namespace harmonic::core {

void RealtimeHub::adopt_identity(Connection& connection, Identity identity) {
  forget_session(connection);  // a later `authenticate` replaces the token and its deadline
  connection.identity = std::move(identity);
  session_deadlines_.emplace(connection.identity->token_expires_at_ms, connection.id);
  sessions_by_user_[connection.identity->user_id].insert(connection.id);
}

void RealtimeHub::forget_session(const Connection& connection) {
  if (!connection.identity) return;
  session_deadlines_.erase({connection.identity->token_expires_at_ms, connection.id});
  const auto user = sessions_by_user_.find(connection.identity->user_id);
  if (user == sessions_by_user_.end()) return;
  user->second.erase(connection.id);
  if (user->second.empty()) sessions_by_user_.erase(user);
}

void RealtimeHub::end_session(Connection& connection, const std::string& message) {
  leave_all_rooms(connection);  // the others see them leave; needs the identity still
  forget_session(connection);
  // Until the close completes, anything else it sends is answered "authenticate first".
  connection.identity.reset();
  reply_error(connection, std::nullopt, protocol::error_code::unauthorized, message, {{"reason", "session_ended"}});
  outbox_.close(connection.id, "session ended");
}

void RealtimeHub::expire_sessions(std::int64_t now) {
  while (!session_deadlines_.empty() && session_deadlines_.begin()->first <= now) {
    const auto connection = connections_.find(session_deadlines_.begin()->second);
    if (connection == connections_.end()) {
      session_deadlines_.erase(session_deadlines_.begin());  // not expected: on_close forgets it
      continue;
    }
    end_session(connection->second, "the session has expired; sign in again");
  }
}

void RealtimeHub::token_revoked(const std::string& user_id, const std::string& token_id) {
  end_revoked_sessions(user_id, token_id);
  announce_revocation(user_id, token_id);
}

void RealtimeHub::tokens_revoked(const std::string& user_id) {
  end_revoked_sessions(user_id, std::nullopt);
  announce_revocation(user_id, std::nullopt);
}

void RealtimeHub::end_revoked_sessions(const std::string& user_id, const std::optional<std::string>& token_id) {
  const auto user = sessions_by_user_.find(user_id);
  if (user == sessions_by_user_.end()) return;
  const auto sockets = user->second;  // end_session edits the set
  for (const auto id : sockets) {
    const auto connection = connections_.find(id);
    if (connection == connections_.end() || !connection->second.identity) continue;
    if (!token_id) {
      end_session(connection->second, "the password was changed; sign in again");
    } else if (connection->second.identity->token_id == *token_id) {
      end_session(connection->second, "this session was signed out");
    }
  }
}

// Cluster mode: {"n": node, "revoked": {"user": id, "token": jti}} (no "token": every
// token of the user), sent to every node after the turn's commit, as the REST rights
// changes are (rest_notifications.cpp). Redis does not keep it: a node that was away from
// Redis meanwhile ends those sockets only when the token expires (docs/cluster.md).
void RealtimeHub::announce_revocation(const std::string& user_id, const std::optional<std::string>& token_id) {
  if (!cluster_) return;
  nlohmann::json revoked = {{"user", user_id}};
  if (token_id) revoked["token"] = *token_id;
  const nlohmann::json envelope = {{"n", cluster_->node_id()}, {"revoked", std::move(revoked)}};
  outbox_.after_commit([this, message = envelope.dump()] { cluster_->publish_to_all(message); });
}

void RealtimeHub::apply_revocation(const nlohmann::json& envelope) {
  // The serving node ended its own sockets already.
  if (envelope.value("n", std::string()) == cluster_->node_id()) return;
  const auto& revoked = envelope["revoked"];
  if (!revoked.is_object() || !revoked.contains("user") || !revoked["user"].is_string()) return;
  std::optional<std::string> token_id;
  if (const auto token = revoked.find("token"); token != revoked.end()) {
    if (!token->is_string()) return;
    token_id = token->get<std::string>();
  }
  end_revoked_sessions(revoked["user"].get<std::string>(), token_id);
}

}  // namespace harmonic::core
