// Accounts: register, log in, log out, change the password, and "who am I". Register,
// login and password answer {token, user:{id, username}}; the token is what REST calls and
// the realtime connection present afterwards, until it expires or is revoked (logout
// revokes that token, a password change every token of the user: see token_sessions.hpp).
//
// Login limits (attempt_limiter.hpp, docs/operations.md): 429 per address and per
// (username, address), only ever for the address that made the attempts; per username
// only a growing delay, so nobody can lock an owner out by failing from elsewhere.
// Every password hash takes a slot of context.password_work first (503 when none).
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

// Counted in /metrics as harmonic_errors_total{code="password_work_busy"}.
constexpr const char* kPasswordWorkBusy = "password_work_busy";

nlohmann::json session_json(ApiContext& context, const storage::User& user) {
  return {{"token", context.tokens.issue(user.id, user.username, user.token_generation)},
          {"user", core::user_to_json(user)}};
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

// A slot for one password hash, or a 503 the client may retry in a second.
PasswordWorkLimit::Ticket password_work_slot(ApiContext& context) {
  auto ticket = context.password_work.try_acquire();
  if (ticket) return ticket;
  context.metrics.count_error(kPasswordWorkBusy);
  throw ApiError(503, error_code::unavailable, "the server is busy checking passwords; try again in a moment",
                 {{"reason", kPasswordWorkBusy}, {"retry_after_seconds", 1}}, {{"Retry-After", "1"}});
}

// The keys a login for `username` from `address` is counted under.
struct LoginKeys {
  bool plausible_name = false;  // a name that cannot exist is tracked per address only
  std::string username;         // lower-cased
  std::string username_at_address;
};

LoginKeys login_keys(const std::string& username, const std::string& address) {
  LoginKeys keys;
  keys.plausible_name = !check_username(username).has_value();
  if (keys.plausible_name) {
    keys.username = lower_case(username);
    keys.username_at_address = keys.username + '\n' + address;
  }
  return keys;
}

// 429 when this address, or this address for this username, used up its attempts;
// otherwise the attempt is counted. Other addresses are never refused for it.
void admit_login_attempt(ApiContext& context, const LoginKeys& keys, const std::string& address, std::int64_t now) {
  auto wait = context.logins_by_address.retry_after_ms(address, now);
  if (keys.plausible_name) {
    wait = std::max(wait, context.logins_by_account_and_address.retry_after_ms(keys.username_at_address, now));
  }
  if (wait > 0) throw too_many_requests("too many login attempts; try again later", wait);
}

void count_login_attempt(ApiContext& context, const LoginKeys& keys, const std::string& address, std::int64_t now) {
  context.logins_by_address.record(address, now);
  if (keys.plausible_name) context.logins_by_account_and_address.record(keys.username_at_address, now);
}

void count_login_failure(ApiContext& context, const LoginKeys& keys) {
  if (keys.plausible_name) context.login_failures_by_username.record(keys.username, context.clock());
}

// How long to hold back the answer for this username: decided before the password is
// checked, so a right and a wrong password take the same time.
std::int64_t login_delay_ms(ApiContext& context, const LoginKeys& keys, std::int64_t now) {
  if (!keys.plausible_name) return 0;
  return context.login_slow_down.delay_ms(context.login_failures_by_username.recent(keys.username, now));
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
    throw too_many_requests("too many registrations from this address; try again later", wait);
  }
  auto slot = password_work_slot(context);
  context.registrations_by_address.record(request.remote_address, now);
  // Hashing takes ~0.1 s of CPU: on a worker, so realtime traffic never waits for it.
  ApiResponse deferred;
  deferred.offload = [&context, username, email, password, slot]() {
    ApiResponse hashed;
    hashed.finish = answered([&context, username, email, hash = auth::hash_password(password), slot]() {
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

  const auto keys = login_keys(username, request.remote_address);
  const auto now = context.clock();
  admit_login_attempt(context, keys, request.remote_address, now);
  auto slot = password_work_slot(context);
  count_login_attempt(context, keys, request.remote_address, now);
  const auto delay_ms = login_delay_ms(context, keys, now);

  // One answer for an unknown user and a wrong password, and about the same time.
  if (password.size() > kPasswordMaxBytes) throw unauthorized("wrong username or password");
  const auto user = keys.plausible_name ? context.store.find_user_by_name(username) : std::nullopt;
  // Verifying takes ~0.1 s of CPU: on a worker, so realtime traffic never waits for it.
  ApiResponse deferred;
  deferred.offload = [&context, user, password, keys, delay_ms, slot]() {
    // A real hash of no one's password, checked when the name is unknown.
    static const std::string decoy = auth::hash_password("decoy password");
    const bool accepted = auth::verify_password(user ? user->password_hash : decoy, password) && user;
    ApiResponse verified;
    verified.finish = [&context, user, accepted, keys, delay_ms, slot]() {
      auto answer = answered([&context, user, accepted, &keys]() {
        if (!accepted) {
          count_login_failure(context, keys);
          throw unauthorized("wrong username or password");
        }
        // The current user row: a password change since the lookup moved the generation.
        const auto current = context.store.find_user(user->id);
        if (!current) throw unauthorized("wrong username or password");
        return json_response(200, session_json(context, *current));
      })();
      answer.delay_ms = delay_ms;
      return answer;
    };
    return verified;
  };
  return deferred;
}

// 204: the presented token is revoked for REST and sockets alike, and sockets signed in
// with it are closed.
ApiResponse logout(ApiContext& context, const ApiRequest& request) {
  const auto session = authenticate_session(context, request);
  context.store.revoke_token(session.claims.token_id, session.expires_at_ms(), context.clock());
  context.notifier.token_revoked(session.user.id, session.claims.token_id);
  return no_content();
}

// {current_password, new_password} -> 200 {token, user}: the new password is set, every
// token of the user issued before (this one too) stops working, their sockets are closed,
// and the answer carries a fresh token. A wrong current password is 403 and changes
// nothing; it counts as a failed login for the limits above.
ApiResponse change_password(ApiContext& context, const ApiRequest& request) {
  const auto session = authenticate_session(context, request);
  const auto body = parse_json_object(request);
  const auto current_password = required_string(body, "current_password");
  const auto new_password = required_string(body, "new_password");
  if (auto problem = check_password(new_password)) throw bad_request(*problem, {{"field", "new_password"}});

  const auto keys = login_keys(session.user.username, request.remote_address);
  const auto now = context.clock();
  admit_login_attempt(context, keys, request.remote_address, now);
  auto slot = password_work_slot(context);
  count_login_attempt(context, keys, request.remote_address, now);
  if (current_password.size() > kPasswordMaxBytes) {
    count_login_failure(context, keys);
    throw forbidden("the current password is wrong");
  }

  ApiResponse deferred;
  deferred.offload = [&context, user = session.user, current_password, new_password, keys, slot]() {
    const bool accepted = auth::verify_password(user.password_hash, current_password);
    // The new hash only when it will be used: each costs ~0.1 s of CPU.
    auto hash = accepted ? auth::hash_password(new_password) : std::string();
    ApiResponse checked;
    checked.finish = answered([&context, user_id = user.id, accepted, hash = std::move(hash), keys, slot]() {
      if (!accepted) {
        count_login_failure(context, keys);
        throw forbidden("the current password is wrong");
      }
      const auto changed = context.store.change_password(user_id, hash);
      if (!changed) throw unauthorized("the token's user no longer exists");
      context.notifier.tokens_revoked(user_id);
      return json_response(200, session_json(context, *changed));
    });
    return checked;
  };
  return deferred;
}

}  // namespace

void add_auth_routes(Router& router, ApiContext& context) {
  router.add("POST", "/api/auth/register",
             [&context](const ApiRequest& request, const RouteParams&) { return register_user(context, request); });
  router.add("POST", "/api/auth/login",
             [&context](const ApiRequest& request, const RouteParams&) { return login(context, request); });
  router.add("POST", "/api/auth/logout",
             [&context](const ApiRequest& request, const RouteParams&) { return logout(context, request); });
  router.add("POST", "/api/auth/password",
             [&context](const ApiRequest& request, const RouteParams&) { return change_password(context, request); });
  router.add("GET", "/api/auth/me", [&context](const ApiRequest& request, const RouteParams&) {
    return json_response(200, {{"user", core::user_to_json(authenticate(context, request))}});
  });
}

}  // namespace harmonic::http
