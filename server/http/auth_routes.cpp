// Accounts: register, log in, and "who am I". Both register and login answer
// {token, user:{id, username}}; the token is what REST calls and the realtime
// connection present afterwards.
#include <algorithm>
#include <cctype>
#include <functional>

#include "auth/passwords.hpp"
#include "core/wire_format.hpp"
#include "http/input_rules.hpp"
#include "http/json_responses.hpp"
#include "http/request_auth.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"

namespace harmonic::http {

namespace {

nlohmann::json session_json(ApiContext& context, const storage::User& user) {
  return {{"token", context.tokens.issue(user.id, user.username)}, {"user", core::user_to_json(user)}};
}

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// A step that runs later on the I/O thread answers refusals like any route does.
std::function<ApiResponse()> answered(std::function<ApiResponse()> step) {
  return [step = std::move(step)]() {
    try {
      return step();
    } catch (const ApiError& error) {
      return error_response(error);
    }
  };
}

ApiError too_many(const std::string& message, std::int64_t wait_ms) {
  const auto seconds = std::max<std::int64_t>(1, (wait_ms + 999) / 1000);
  return ApiError(429, error_code::rate_limited, message, {{"retry_after_seconds", seconds}},
                  {{"Retry-After", std::to_string(seconds)}});
}

ApiResponse register_user(ApiContext& context, const ApiRequest& request) {
  const auto body = parse_json_object(request);
  const auto username = required_string(body, "username");
  const auto password = required_string(body, "password");
  const auto email = optional_string(body, "email").value_or("");
  if (auto problem = check_username(username)) throw bad_request(*problem, {{"field", "username"}});
  if (auto problem = check_password(password)) throw bad_request(*problem, {{"field", "password"}});
  if (!email.empty()) {
    if (auto problem = check_email(email)) throw bad_request(*problem, {{"field", "email"}});
  }
  // Checked before hashing, which is deliberately slow; create_user checks again.
  if (context.store.find_user_by_name(username)) throw conflict("that username is taken");
  // Only registrations that get as far as hashing count (typos do not use up the quota).
  const auto now = context.clock();
  if (const auto wait = context.registrations_by_address.retry_after_ms(request.remote_address, now)) {
    throw too_many("too many registrations from this address; try again later", wait);
  }
  context.registrations_by_address.record(request.remote_address, now);
  // Hashing takes ~0.1 s of CPU: on a worker, so realtime traffic never waits for it.
  ApiResponse deferred;
  deferred.offload = [&context, username, email, password]() {
    ApiResponse hashed;
    hashed.finish = answered([&context, username, email, hash = auth::hash_password(password)]() {
      const auto user = context.store.create_user(username, email, hash, context.clock());
      if (!user) throw conflict("that username is taken");
      return json_response(201, session_json(context, *user));
    });
    return hashed;
  };
  return deferred;
}


ApiResponse login(ApiContext& context, const ApiRequest& request) {
  const auto body = parse_json_object(request);
  const auto username = required_string(body, "username");
  const auto password = required_string(body, "password");

  // A name that cannot exist is not tracked per username (keeps keys small and bounded),
  // but still counts against the address.
  const bool plausible_name = !check_username(username).has_value();
  const auto name_key = plausible_name ? lower_case(username) : std::string();
  const auto now = context.clock();
  auto wait = context.logins_by_address.retry_after_ms(request.remote_address, now);
  if (plausible_name) wait = std::max(wait, context.logins_by_username.retry_after_ms(name_key, now));
  if (wait > 0) throw too_many("too many login attempts; try again later", wait);
  context.logins_by_address.record(request.remote_address, now);
  if (plausible_name) context.logins_by_username.record(name_key, now);

  // One answer for an unknown user and a wrong password, and about the same time.
  if (password.size() > kPasswordMaxBytes) throw unauthorized("wrong username or password");
  const auto user = plausible_name ? context.store.find_user_by_name(username) : std::nullopt;
  // Verifying takes ~0.1 s of CPU: on a worker, so realtime traffic never waits for it.
  ApiResponse deferred;
  deferred.offload = [&context, user, password]() {
    // A real hash of no one's password, checked when the name is unknown.
    static const std::string decoy = auth::hash_password("decoy password");
    const bool accepted = auth::verify_password(user ? user->password_hash : decoy, password) && user;
    ApiResponse verified;
    verified.finish = answered([&context, user, accepted]() {
      if (!accepted) throw unauthorized("wrong username or password");
      return json_response(200, session_json(context, *user));
    });
    return verified;
  };
  return deferred;
}

}  // namespace

void add_auth_routes(Router& router, ApiContext& context) {
  router.add("POST", "/api/auth/register",
             [&context](const ApiRequest& request, const RouteParams&) { return register_user(context, request); });
  router.add("POST", "/api/auth/login",
             [&context](const ApiRequest& request, const RouteParams&) { return login(context, request); });
  router.add("GET", "/api/auth/me", [&context](const ApiRequest& request, const RouteParams&) {
    return json_response(200, {{"user", core::user_to_json(authenticate(context, request))}});
  });
}

}  // namespace harmonic::http
