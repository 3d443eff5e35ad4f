// What one account may create (UniverseCreationLimits in api_context.hpp): at most
// `max_universes_per_user` universes owned at once (403 quota_exceeded), and at most
// `creations_per_minute` creations (create and import together) within a sliding minute
// (429 rate_limited with Retry-After).
//
// Why: one account made 50,000 public universes in 25 s, after which every universe list
// and the realtime round trip of everyone slowed down (issue 12, finding 3). Numbers and
// flags: docs/operations.md, "Universe lists and quotas".
#pragma once

#include "http/api_context.hpp"
#include "storage/store.hpp"

namespace harmonic::http {

// Throws the refusal when `user` may not create a universe now; otherwise counts this
// creation. Call it after the request was validated, right before creating.
void admit_universe_creation(ApiContext& context, const storage::User& user);

}  // namespace harmonic::http
