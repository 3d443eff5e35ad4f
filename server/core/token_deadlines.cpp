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
  const auto user = sessions_by_user_.find(user_id);
  if (user == sessions_by_user_.end()) return;
  const auto sockets = user->second;  // end_session edits the set
  for (const auto id : sockets) {
    const auto connection = connections_.find(id);
    if (connection != connections_.end() && connection->second.identity &&
        connection->second.identity->token_id == token_id) {
      end_session(connection->second, "this session was signed out");
    }
  }
}

void RealtimeHub::tokens_revoked(const std::string& user_id) {
  const auto user = sessions_by_user_.find(user_id);
  if (user == sessions_by_user_.end()) return;
  const auto sockets = user->second;
  for (const auto id : sockets) {
    const auto connection = connections_.find(id);
    if (connection != connections_.end()) end_session(connection->second, "the password was changed; sign in again");
  }
}

}  // namespace harmonic::core
