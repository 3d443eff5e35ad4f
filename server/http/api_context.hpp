// What every route handler works with: the server's store, token service, realtime
// notifier and metrics, plus the injectable clock and seed source. RestApi owns one
// ApiContext and hands it to the route groups (routes.hpp) by reference.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "auth/tokens.hpp"
#include "core/metrics.hpp"
#include "core/realtime_notifier.hpp"
#include "http/attempt_limiter.hpp"
#include "http/password_work.hpp"
#include "storage/store.hpp"

namespace harmonic::http {

using Clock = std::function<std::int64_t()>;         // milliseconds since the Unix epoch
using SeedSource = std::function<std::uint32_t()>;  // a new universe's simulation seed

// universe_creation_limits.hpp (admit_universe_creation) uses these fields.
struct UniverseCreationLimits {
  std::int64_t max_universes_per_user = 200;  // --max-universes-per-user
  int creations_per_minute = 30;              // --universe-creations-per-minute (create and import)
};

struct ApiContext {
  storage::Store& store;
  const auth::TokenService& tokens;
  core::RealtimeNotifier& notifier;
  core::Metrics& metrics;
  Clock clock;
  SeedSource seed_source;
  AttemptLimiter logins_by_address;
  AttemptLimiter logins_by_account_and_address;  // key: lower-cased username, '\n', address
  AttemptLimiter login_failures_by_username;     // only counted: feeds login_slow_down
  LoginSlowDown login_slow_down;
  AttemptLimiter registrations_by_address;
  PasswordWorkLimit password_work;
  std::string metrics_token;  // empty: /metrics is open
  UniverseCreationLimits universe_limits;
  AttemptLimiter universe_creations;  // key: user id; window one minute
  AttemptLimiter api_requests;        // key: user id; every authenticated request (request_auth.cpp)
  // The user the request being handled signed in as ("" if none yet): set by
  // authenticate_session, copied into ApiResponse::user_id by RestApi::handle.
  std::string request_user;
  std::function<bool()> fanout_down;  // RestOptions::fanout_down
};

}  // namespace harmonic::http
