// The REST API in one object, without sockets: the Beast edge turns each HTTP request
// into an ApiRequest, calls handle(), and writes the ApiResponse back. Everything runs on
// the caller's thread (the server's single I/O thread, shared with the realtime hub), so
// nothing here locks.
//
// Routes (all JSON; errors are {"error":{"code","message","details"}}; /api routes other
// than register and login need "Authorization: Bearer <jwt>"):
//   POST   /api/auth/register                        {username, password, email?} -> 201 {token, user}
//   POST   /api/auth/login                           {username, password} -> 200 {token, user}; 429 + Retry-After
//   POST   /api/auth/logout                          -> 204; the presented token is revoked
//   POST   /api/auth/password                        {current_password, new_password} -> 200 {token, user};
//                                                    every older token of the user is revoked
//   GET    /api/auth/me                              -> {user}
// register, login and password answer 503 + Retry-After when too many password hashes are
// already waiting (password_work.hpp).
//   GET    /api/universes?limit=&cursor=             -> {universes:[universe + role], next_cursor}
//                                                    (newest first; limit 1..200, default 50)
//   POST   /api/universes                            {name, description?, is_public?} -> 201 universe;
//                                                    403 quota_exceeded, 429 + Retry-After (also import)
//   GET    /api/universes/{id}                       viewer+ -> universe + role + parameters
//   PATCH  /api/universes/{id}                       {name?, description?, is_public?} editor+; is_public owner
//   DELETE /api/universes/{id}                       owner -> 204
//   GET    /api/universes/{id}/collaborators         viewer+ -> {collaborators:[{id, username}]}
//   POST   /api/universes/{id}/collaborators         {username} owner -> 201 {collaborator, collaborators}
//   DELETE /api/universes/{id}/collaborators/{uid}   owner -> 204
//   GET    /api/universes/{id}/export.json           viewer+ -> {format, version, name, description, is_public, parameters}
//   POST   /api/universes/import                     that document -> 201 universe (new, caller owns it)
//   GET    /healthz, GET /metrics                   healthz: 503 {status:"degraded", reason:"disk_full"} while
//                                                    writes fail for a full disk
// A write that fails because the disk is full answers 503 server_error, details.reason
// "disk_full", with Retry-After; reads go on working.
//   GET    anything else outside /api                static files from the web root (static_files.hpp)
// HEAD is answered wherever GET is, without a body, with the Content-Length of the GET's
// body in the headers (export.wav computes it without rendering). A body over max_body_bytes is 413; an
// unknown /api path 404; a known path with another method 405 with Allow.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>

#include "auth/tokens.hpp"
#include "core/metrics.hpp"
#include "core/realtime_notifier.hpp"
#include "http/api_request_budget.hpp"
#include "http/api.hpp"
#include "http/api_context.hpp"
#include "http/attempt_limiter.hpp"
#include "http/password_work.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "storage/store.hpp"

namespace harmonic::http {

struct RestOptions {
  std::filesystem::path web_root;  // empty or missing: a built-in "client not built" page at "/"
  Clock clock;                     // empty: the system clock
  SeedSource seed_source;          // empty: std::random_device
  AttemptLimits logins_per_address;  // default 10 per minute
  AttemptLimits logins_per_account_and_address;
  LoginSlowDown login_slow_down;     // per username, across addresses: delays, never refuses
  AttemptLimits registrations_per_address{30, 3'600'000};  // 30 per hour
  // Password hashes queued or running at once (password_work.hpp); the server passes its
  // worker count.
  std::size_t password_work_limit = password_work_limit_for(2);
  std::size_t max_body_bytes = 64 * 1024;
  std::string metrics_token;  // non-empty: GET /metrics wants "Authorization: Bearer <token>"
  UniverseCreationLimits universe_limits;  // quota and creation rate per account
  // Authenticated requests per account (--api-rate-limit, per second over a 10 s window):
  // one account looping on the API must not take the event loop from everyone else.
  AttemptLimits api_requests_per_account{default_api_requests_per_second * 10, api_request_window_ms};
  // Cluster mode: true while the fan-out between nodes (Redis) is away; /healthz then says
  // degraded (docs/cluster.md). Empty: a single node, never.
  std::function<bool()> fanout_down;
};

class RestApi {
 public:
  // The references must outlive the RestApi.
  RestApi(storage::Store& store, const auth::TokenService& tokens, core::RealtimeNotifier& notifier,
          core::Metrics& metrics, RestOptions options = {});
  RestApi(const RestApi&) = delete;
  RestApi& operator=(const RestApi&) = delete;

  // Never throws: a failure inside a route is a 500 with code server_error. Counts every
  // answer in Metrics::count_http_request.
  ApiResponse handle(const ApiRequest& request);

 private:
  ApiResponse dispatch(const ApiRequest& request);

  ApiContext context_;
  Router router_;
  StaticFiles static_files_;
  std::size_t max_body_bytes_;
};

}  // namespace harmonic::http
