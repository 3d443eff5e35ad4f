// Who is calling: the bearer token is verified and its user loaded from the store. A
// missing, malformed, forged or expired token, or one for a user that no longer exists,
// is a 401 (ApiError).
#pragma once

#include "http/api.hpp"
#include "http/api_context.hpp"
#include "storage/store.hpp"

namespace harmonic::http {

storage::User authenticate(ApiContext& context, const ApiRequest& request);

}  // namespace harmonic::http
