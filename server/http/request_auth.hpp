// Who is calling: the bearer token is checked by auth::accept_token (signature, expiry,
// revocation, the user's token generation) and its user loaded from the store. A missing,
// malformed, forged, expired or revoked token, or one for a user that no longer exists,
// is a 401 (ApiError).
#pragma once

#include "auth/token_sessions.hpp"
#include "http/api.hpp"
#include "http/api_context.hpp"
#include "storage/store.hpp"

namespace harmonic::http {

storage::User authenticate(ApiContext& context, const ApiRequest& request);
// The user and the token's claims, for routes that act on the token itself (logout).
auth::Session authenticate_session(ApiContext& context, const ApiRequest& request);

}  // namespace harmonic::http
