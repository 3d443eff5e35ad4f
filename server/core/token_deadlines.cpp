// A socket lives no longer than the token it authenticated with: it is ended when that
// token expires (checked from on_tick) or is revoked (logout, password change: REST tells
// the hub through RealtimeNotifier). The client hears why, as system:error `unauthorized`,
// before the close, and signs in again.
//
// Cheap by construction: on_tick looks only at the front of a deadline-ordered set, and a
// revocation only at the sockets of that user.
//
// Cluster mode: a node cut off from Redis when another node announced a revocation never
// hears it, so when its link comes back it checks every socket's token against the store
// at once (recheck_session_tokens; docs/cluster.md, "When Redis is away").
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "core/realtime_hub.hpp"
#include "protocol/error_codes.hpp"

namespace harmonic::core {

namespace {

// Why a socket is ended, as its system:error says; the same words whether the
// revocation was heard at once or found by the re-check after an outage.
constexpr const char* kSignedOut = "this session was signed out";
constexpr const char* kPasswordChanged = "the password was changed; sign in again";
constexpr const char* kAccountGone = "the account no longer exists; sign in again";

// A re-check the store could not answer (PostgreSQL away as well) is tried again after this.
constexpr std::int64_t kRecheckRetryMs = 1000;

}  // namespace

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
      end_session(connection->second, kPasswordChanged);
    } else if (connection->second.identity->token_id == *token_id) {
      end_session(connection->second, kSignedOut);
    }
  }
}

// Cluster mode: {"n": node, "revoked": {"user": id, "token": jti}} (no "token": every
// token of the user), sent to every node after the turn's commit, as the REST rights
// changes are (rest_notifications.cpp). Redis does not keep it: a node that was away from
// Redis meanwhile finds it in the store when its link is back (recheck_session_tokens).
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

void RealtimeHub::schedule_token_recheck() { token_recheck_due_ms_ = clock_.now_ms(); }

void RealtimeHub::recheck_session_tokens() {
  if (!token_recheck_due_ms_ || clock_.now_ms() < *token_recheck_due_ms_) return;
  // Never inside an open batch (as fill_overdue_gaps): on PostgreSQL a failed read there
  // would fail the batch's transaction with it. The next tick between turns does it.
  if (outbox_.is_open()) return;
  // Two queries whatever the number of sockets: the distinct token ids, the distinct users.
  std::vector<std::string> user_ids;
  std::vector<std::string> token_ids;
  for (const auto& [user_id, sockets] : sessions_by_user_) {
    user_ids.push_back(user_id);
    for (const auto id : sockets) {
      const auto connection = connections_.find(id);
      if (connection != connections_.end() && connection->second.identity) {
        token_ids.push_back(connection->second.identity->token_id);
      }
    }
  }
  std::sort(token_ids.begin(), token_ids.end());
  token_ids.erase(std::unique(token_ids.begin(), token_ids.end()), token_ids.end());
  std::set<std::string> revoked;
  std::map<std::string, std::int64_t> generations;
  try {
    revoked = store_.revoked_among(token_ids);
    generations = store_.token_generations(user_ids);
  } catch (const storage::StorageError& error) {
    spdlog::warn("cluster: could not re-check {} sockets' tokens after the Redis outage ({}); again in {} ms",
                 token_ids.size(), error.what(), kRecheckRetryMs);
    token_recheck_due_ms_ = clock_.now_ms() + kRecheckRetryMs;
    return;
  }
  token_recheck_due_ms_.reset();
  // The rules of auth::accept_token (token_sessions.hpp), applied to what was read.
  std::vector<std::pair<ConnectionId, const char*>> ending;  // end_session edits sessions_by_user_
  for (const auto& [user_id, sockets] : sessions_by_user_) {
    const auto generation = generations.find(user_id);
    for (const auto id : sockets) {
      const auto connection = connections_.find(id);
      if (connection == connections_.end() || !connection->second.identity) continue;
      const auto& identity = *connection->second.identity;
      if (generation == generations.end()) {
        ending.emplace_back(id, kAccountGone);
      } else if (generation->second != identity.token_generation) {
        ending.emplace_back(id, kPasswordChanged);
      } else if (revoked.contains(identity.token_id)) {
        ending.emplace_back(id, kSignedOut);
      }
    }
  }
  for (const auto& [id, why] : ending) {
    const auto connection = connections_.find(id);
    if (connection != connections_.end() && connection->second.identity) end_session(connection->second, why);
  }
  if (!ending.empty()) {
    spdlog::info("cluster: ended {} sockets whose tokens were revoked while Redis was away", ending.size());
  }
}

}  // namespace harmonic::core
