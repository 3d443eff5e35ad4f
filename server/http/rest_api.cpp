#include "http/rest_api.hpp"

#include <chrono>
#include <random>

#include "http/json_responses.hpp"
#include "http/routes.hpp"
#include "protocol/error_codes.hpp"

namespace harmonic::http {

namespace {

Clock system_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

SeedSource random_seeds() {
  return [device = std::make_shared<std::random_device>()] { return static_cast<std::uint32_t>((*device)()); };
}

bool is_api_path(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

std::string join(const std::vector<std::string>& items) {
  std::string joined;
  for (const auto& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined;
}

// A write that could not be stored because the disk is full or failing (docs/operations.md,
// "Disk full"): reads still work, so this is the server's trouble, not the request's.
ApiError disk_full_error() {
  return ApiError(503, error_code::server_error, "the server cannot store changes right now (disk full); try again later",
                  {{"reason", std::string(protocol::error_reason::disk_full)}, {"retry_after_seconds", 30}},
                  {{"Retry-After", "30"}});
}

ApiResponse method_not_allowed(std::vector<std::string> allowed) {
  if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
  const auto allow = join(allowed);
  return error_response(ApiError(405, error_code::method_not_allowed, "use one of: " + allow,
                                 {{"allowed", allowed}}, {{"Allow", allow}}));
}

}  // namespace

RestApi::RestApi(storage::Store& store, const auth::TokenService& tokens, core::RealtimeNotifier& notifier,
                 core::Metrics& metrics, RestOptions options)
    : context_{store,
               tokens,
               notifier,
               metrics,
               options.clock ? std::move(options.clock) : system_clock(),
               options.seed_source ? std::move(options.seed_source) : random_seeds(),
               AttemptLimiter(options.logins_per_address),
               AttemptLimiter(options.logins_per_account_and_address),
               AttemptLimiter(AttemptLimits{options.login_slow_down.failures_at_max_delay(),
                                            options.login_slow_down.window_ms}),
               options.login_slow_down,
               AttemptLimiter(options.registrations_per_address),
               PasswordWorkLimit(options.password_work_limit),
               std::move(options.metrics_token),
               options.universe_limits,
               AttemptLimiter(AttemptLimits{options.universe_limits.creations_per_minute, 60'000}),
               AttemptLimiter(options.api_requests_per_account),
               {},
               std::move(options.fanout_down)},
      static_files_(std::move(options.web_root)),
      max_body_bytes_(options.max_body_bytes) {
  add_auth_routes(router_, context_);
  add_universe_routes(router_, context_);
  add_collaborator_routes(router_, context_);
  add_transfer_routes(router_, context_);
  add_ops_routes(router_, context_);
}

ApiResponse RestApi::handle(const ApiRequest& request) {
  ApiResponse response;
  context_.request_user.clear();
  try {
    response = dispatch(request);
  } catch (const ApiError& error) {
    response = error_response(error);
  } catch (const storage::StorageError& error) {
    response = error.out_of_space() ? error_response(disk_full_error())
                                    : error_response(500, error_code::server_error, "the server failed to handle the request");
  } catch (const std::exception&) {
    // Details stay in the server (the edge logs the request); the client learns only
    // that it was not its fault.
    response = error_response(500, error_code::server_error, "the server failed to handle the request");
  }
  if (request.method == "HEAD") {
    // The length the GET's body would have; a route that answers HEAD without building
    // the body (export.wav) has set it already.
    if (header_value(response, "Content-Length").empty() && !response.offload) {
      response.headers.emplace_back("Content-Length", std::to_string(response.body.size()));
    }
    response.body.clear();
  }
  context_.metrics.count_http_request(response.status);
  response.user_id = context_.request_user;
  return response;
}

ApiResponse RestApi::dispatch(const ApiRequest& request) {
  if (request.body.size() > max_body_bytes_) {
    throw ApiError(413, error_code::payload_too_large,
                   "the request body is larger than " + std::to_string(max_body_bytes_) + " bytes",
                   {{"max_bytes", max_body_bytes_}});
  }
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  if (const auto match = router_.match(method, request.path)) {
    if (!match->handler) return method_not_allowed(match->allowed_methods);
    return (*match->handler)(request, match->params);
  }
  if (is_api_path(request.path)) throw not_found("no such endpoint: " + request.path);
  if (method != "GET") return method_not_allowed({"GET"});
  return static_files_.serve(request);
}

}  // namespace harmonic::http
