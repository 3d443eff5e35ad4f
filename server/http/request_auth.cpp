#include "http/request_auth.hpp"

#include "http/json_responses.hpp"
#include "http/request_body.hpp"

namespace harmonic::http {

auth::Session authenticate_session(ApiContext& context, const ApiRequest& request) {
  const auto token = bearer_token(request);
  if (!token) throw unauthorized();
  auto session = auth::accept_token(context.tokens, context.store, *token);
  if (!session) throw unauthorized("the token is invalid, expired or signed out; sign in again");
  return std::move(*session);
}

storage::User authenticate(ApiContext& context, const ApiRequest& request) {
  return authenticate_session(context, request).user;
}

}  // namespace harmonic::http
