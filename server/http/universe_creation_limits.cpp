#include "http/universe_creation_limits.hpp"

#include <string>

#include "http/json_responses.hpp"

namespace harmonic::http {

void admit_universe_creation(ApiContext& context, const storage::User& user) {
  const auto now = context.clock();
  if (const auto wait = context.universe_creations.retry_after_ms(user.id, now)) {
    throw too_many_requests("too many universes created in the last minute; try again later", wait);
  }
  const auto limit = context.universe_limits.max_universes_per_user;
  const auto owned = context.store.count_universes_owned_by(user.id);
  if (owned >= limit) {
    throw ApiError(403, error_code::quota_exceeded,
                   "you own " + std::to_string(owned) + " universes, the most one account may own; delete one first",
                   {{"reason", "max_universes_per_user"}, {"limit", limit}, {"owned", owned}});
  }
  context.universe_creations.record(user.id, now);
}

}  // namespace harmonic::http
