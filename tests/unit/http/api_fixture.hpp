// A RestApi over an in-memory SqliteStore, a fake notifier that records calls, a fake
// clock and a fixed seed source, with helpers to send requests and make users quickly
// (users made by `make_user` skip the slow password hash of /register).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <stdexcept>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "auth/passwords.hpp"
#include "auth/tokens.hpp"
#include "core/metrics.hpp"
#include "core/realtime_notifier.hpp"
#include "http/json_responses.hpp"
#include "http/rest_api.hpp"
#include "storage/sqlite_store.hpp"

namespace harmonic::test {

struct NotifierCall {
  std::string kind;  // universe_updated, parameters_replaced, collaborators_changed, universe_deleted,
                     // token_revoked, tokens_revoked (by_user_id: whose)
  std::string universe_id;
  nlohmann::json data;  // changes, or {"message": ...}
  std::string by_user_id;
};

class RecordingNotifier : public core::RealtimeNotifier {
 public:
  void universe_updated(const storage::Universe& universe, const nlohmann::json& changes,
                        const storage::User& by) override {
    calls.push_back({"universe_updated", universe.id, changes, by.id});
  }
  void parameters_replaced(const std::string& universe_id) override {
    calls.push_back({"parameters_replaced", universe_id, nullptr, ""});
  }
  void collaborators_changed(const std::string& universe_id, const std::string& message) override {
    calls.push_back({"collaborators_changed", universe_id, {{"message", message}}, ""});
  }
  void universe_deleted(const std::string& universe_id) override {
    calls.push_back({"universe_deleted", universe_id, nullptr, ""});
  }
  void token_revoked(const std::string& user_id, const std::string& token_id) override {
    calls.push_back({"token_revoked", "", {{"token_id", token_id}}, user_id});
  }
  void tokens_revoked(const std::string& user_id) override { calls.push_back({"tokens_revoked", "", nullptr, user_id}); }
  std::vector<NotifierCall> calls;
};

class HttpTempDir {
 public:
  HttpTempDir() {
    static std::atomic<int> counter{0};
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            ("harmonic-http-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
             std::to_string(random()));
    std::filesystem::create_directories(path_);
  }
  ~HttpTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  HttpTempDir(const HttpTempDir&) = delete;
  HttpTempDir& operator=(const HttpTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct TestUser {
  std::string id;
  std::string username;
  std::string token;
};

inline const std::string& known_password_hash() {
  static const std::string hash = auth::hash_password("correct horse");
  return hash;
}

class ApiFixture {
 public:
  // `tweak` may change any other option before the api is built.
  explicit ApiFixture(std::filesystem::path web_root = {}, http::AttemptLimits limits = {},
                      http::AttemptLimits registrations = http::RestOptions{}.registrations_per_address,
                      const std::function<void(http::RestOptions&)>& tweak = {})
      : api(store, tokens, notifier, metrics, options(std::move(web_root), limits, registrations, tweak)) {}

  http::ApiResponse send(const std::string& method, const std::string& path, const std::string& body = "",
                         const std::string& token = "", std::map<std::string, std::string> headers = {}) {
    http::ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.headers = std::move(headers);
    if (!token.empty()) request.headers["authorization"] = "Bearer " + token;
    request.remote_address = remote_address;
    // What the network edge does with work moved off the I/O thread, done in place.
    return http::complete_in_place(api.handle(request));
  }
  // A literal body ("" or "{...}") is text, not a JSON string value.
  http::ApiResponse send(const std::string& method, const std::string& path, const char* body,
                         const std::string& token = "", std::map<std::string, std::string> headers = {}) {
    return send(method, path, std::string(body), token, std::move(headers));
  }
  http::ApiResponse send(const std::string& method, const std::string& path, const nlohmann::json& body,
                         const std::string& token = "") {
    return send(method, path, body.dump(), token);
  }

  // A user whose password is "correct horse", with a valid token.
  TestUser make_user(const std::string& username) {
    const auto user = store.create_user(username, "", known_password_hash(), now_ms);
    if (!user) throw std::runtime_error("user exists: " + username);
    return {user->id, user->username, tokens.issue(user->id, user->username, user->token_generation)};
  }

  // A universe made through the API by `owner`; returns its id.
  std::string make_universe(const TestUser& owner, const std::string& name, bool is_public = false) {
    const auto response = send("POST", "/api/universes", nlohmann::json{{"name", name}, {"is_public", is_public}},
                               owner.token);
    if (response.status != 201) throw std::runtime_error("create failed: " + response.body);
    return nlohmann::json::parse(response.body).at("id").get<std::string>();
  }

  storage::SqliteStore store{":memory:"};
  auth::TokenService tokens{std::string(48, 'k')};
  RecordingNotifier notifier;
  core::Metrics metrics;
  std::int64_t now_ms = 1'700'000'000'000;
  std::uint32_t next_seed = 4242;
  std::string remote_address = "192.0.2.1";
  http::RestApi api;

 private:
  http::RestOptions options(std::filesystem::path web_root, http::AttemptLimits limits,
                            http::AttemptLimits registrations, const std::function<void(http::RestOptions&)>& tweak) {
    http::RestOptions result;
    result.web_root = std::move(web_root);
    result.clock = [this] { return now_ms; };
    result.seed_source = [this] { return next_seed; };
    result.logins_per_address = limits;
    result.logins_per_account_and_address = limits;
    result.registrations_per_address = registrations;
    if (tweak) tweak(result);
    return result;
  }
};

inline nlohmann::json body_of(const http::ApiResponse& response) { return nlohmann::json::parse(response.body); }

inline std::string error_code_of(const http::ApiResponse& response) {
  return nlohmann::json::parse(response.body).at("error").at("code").get<std::string>();
}

}  // namespace harmonic::test
