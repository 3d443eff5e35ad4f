#include "http/request_auth.hpp"

#include "http/json_responses.hpp"
#include "http/request_body.hpp"

namespace harmonic::http {

storage::User authenticate(ApiContext& context, const ApiRequest& request) {
  const auto token = bearer_token(request);
  if (!token) throw unauthorized();
  const auto claims = context.tokens.verify(*token);
  if (!claims) throw unauthorized("the token is invalid or has expired; sign in again");
  auto user = context.store.find_user(claims->user_id);
  if (!user) throw unauthorized("the token's user no longer exists");
  return *user;
}

}  // namespace harmonic::http
