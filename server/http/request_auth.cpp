#include "http/request_auth.hpp"

#include "http/json_responses.hpp"
#include "http/request_body.hpp"

namespace harmonic::http {

auth::Session authenticate_session(ApiContext& context, const ApiRequest& request) {
  const auto token = bearer_token(request);
  if (!token) throw unauthorized();
  auto session = auth::accept_token(context.tokens, context.store, *token);
  if (!session) throw unauthorized("the token is invalid, expired or signed out; sign in again");
  context.request_user = session->user.id;
  // The account's request budget (RestOptions::api_requests_per_account). Only a valid
  // token spends it, so nobody can spend another account's budget with forged ones.
  const auto now = context.clock();
  if (const auto wait = context.api_requests.retry_after_ms(session->user.id, now); wait > 0) {
    throw too_many_requests("too many API requests from this account; slow down", wait);
  }
  context.api_requests.record(session->user.id, now);
  return std::move(*session);
}

storage::User authenticate(ApiContext& context, const ApiRequest& request) {
  return authenticate_session(context, request).user;
}

}  // namespace harmonic::http
