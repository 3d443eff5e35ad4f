// Whether a presented token still opens a session: the one check every REST request and
// every socket authentication (CONNECT auth, `authenticate`) goes through, so the rules
// cannot drift apart between them.
//
// A token is accepted when its signature and expiry verify (TokenService::verify), its id
// (`jti`) has not been revoked (logout), its user still exists, and its generation (`gen`)
// is the user's current one (a password change bumps it, ending every older token). Each
// check after the signature is one primary-key read.
#pragma once

#include <optional>
#include <string_view>

#include "auth/tokens.hpp"
#include "storage/store.hpp"

namespace harmonic::auth {

struct Session {
  storage::User user;
  TokenClaims claims;
  std::int64_t expires_at_ms() const { return claims.expires_at * 1000; }
};

std::optional<Session> accept_token(const TokenService& tokens, storage::Store& store, std::string_view token);

}  // namespace harmonic::auth
