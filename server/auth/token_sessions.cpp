#include "auth/token_sessions.hpp"

namespace harmonic::auth {

std::optional<Session> accept_token(const TokenService& tokens, storage::Store& store, std::string_view token) {
  auto claims = tokens.verify(token);
  if (!claims) return std::nullopt;
  if (store.is_token_revoked(claims->token_id)) return std::nullopt;
  // A valid signature is not enough: the account must still exist, and the token must not
  // predate its last password change.
  auto user = store.find_user(claims->user_id);
  if (!user || user->token_generation != claims->generation) return std::nullopt;
  return Session{std::move(*user), std::move(*claims)};
}

}  // namespace harmonic::auth
