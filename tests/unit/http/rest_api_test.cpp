#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using harmonic::http::header_value;
using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;

TEST_CASE("unknown API paths are 404 and wrong methods 405 with Allow", "[api]") {
  ApiFixture f;
  const auto user = f.make_user("ada");
  const auto unknown = f.send("GET", "/api/nothing", "", user.token);
  CHECK(unknown.status == 404);
  CHECK(error_code_of(unknown) == "not_found");
  CHECK(f.send("GET", "/api").status == 404);
  CHECK(f.send("POST", "/api/universes/1/whatever").status == 404);

  const auto wrong = f.send("PUT", "/api/universes");
  CHECK(wrong.status == 405);
  CHECK(error_code_of(wrong) == "method_not_allowed");
  CHECK(header_value(wrong, "Allow") == "GET, POST, HEAD");
  CHECK(header_value(f.send("GET", "/api/auth/login"), "Allow") == "POST");
  CHECK(header_value(f.send("POST", "/api/universes/1"), "Allow") == "DELETE, GET, PATCH, HEAD");
  CHECK(f.send("DELETE", "/healthz").status == 405);
}

TEST_CASE("every error has the same shape", "[api]") {
  ApiFixture f;
  for (const auto& response : {f.send("GET", "/api/universes"), f.send("GET", "/api/x"),
                               f.send("POST", "/api/auth/register", "{")}) {
    const auto body = body_of(response);
    REQUIRE(body.contains("error"));
    CHECK(body["error"]["code"].is_string());
    CHECK(body["error"]["message"].is_string());
    CHECK(body["error"]["details"].is_object());
    CHECK(response.content_type == "application/json");
  }
}

TEST_CASE("bodies over 64 KB are refused with 413", "[api]") {
  ApiFixture f;
  const auto user = f.make_user("ada");
  const auto big = f.send("POST", "/api/universes", std::string(64 * 1024 + 1, ' '), user.token);
  CHECK(big.status == 413);
  CHECK(error_code_of(big) == "payload_too_large");
  const auto fits = nlohmann::json{{"name", "ok"}, {"description", std::string(1000, 'd')}}.dump();
  CHECK(f.send("POST", "/api/universes", fits, user.token).status == 201);
}

TEST_CASE("hostile bodies are answered, not crashed on", "[api]") {
  ApiFixture f;
  const auto user = f.make_user("ada");
  const std::string deep = std::string(30'000, '[') + std::string(30'000, ']');
  CHECK(f.send("POST", "/api/universes", deep, user.token).status == 400);
  CHECK(f.send("POST", "/api/universes/import", "{\"name\":\"x\",\"parameters\":" + deep + "}", user.token).status ==
        400);
  CHECK(f.send("POST", "/api/universes", std::string("{\"name\":\"\xff\xfe\"}"), user.token).status == 400);
  CHECK(f.send("POST", "/api/auth/login", std::string("{\"username\":\"a\0b\"}", 16)).status == 400);
}

TEST_CASE("healthz and metrics", "[api][ops]") {
  ApiFixture f;
  const auto health = f.send("GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(body_of(health) == nlohmann::json{{"status", "ok"}});
  CHECK(f.send("HEAD", "/healthz").body.empty());

  f.send("GET", "/api/universes");  // a 401
  const auto metrics = f.send("GET", "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.content_type == "text/plain; version=0.0.4");
  CHECK(metrics.body.find("harmonic_http_requests_total{status=\"200\"} 2") != std::string::npos);
  CHECK(metrics.body.find("harmonic_http_requests_total{status=\"401\"} 1") != std::string::npos);
}

TEST_CASE("with a metrics token, /metrics wants it and /healthz stays open", "[api][ops]") {
  harmonic::storage::SqliteStore store{":memory:"};
  harmonic::auth::TokenService tokens{std::string(48, 'k')};
  harmonic::test::RecordingNotifier notifier;
  harmonic::core::Metrics metrics;
  harmonic::http::RestOptions options;
  options.metrics_token = "scrape-me-0123456789";
  harmonic::http::RestApi api(store, tokens, notifier, metrics, options);
  const auto get = [&api](const std::string& path, const std::string& authorization) {
    harmonic::http::ApiRequest request;
    request.method = "GET";
    request.path = path;
    if (!authorization.empty()) request.headers["authorization"] = authorization;
    return api.handle(request);
  };

  for (const auto* refused : {"", "Bearer wrong", "Bearer scrape-me-012345678", "Bearer scrape-me-0123456789x",
                              "Basic scrape-me-0123456789", "scrape-me-0123456789"}) {
    INFO(refused);
    const auto response = get("/metrics", refused);
    CHECK(response.status == 401);
    CHECK(error_code_of(response) == "unauthorized");
    CHECK(header_value(response, "WWW-Authenticate") == "Bearer realm=\"metrics\"");
    CHECK(response.body.find("harmonic_") == std::string::npos);
  }
  const auto allowed = get("/metrics", "Bearer scrape-me-0123456789");
  CHECK(allowed.status == 200);
  CHECK(allowed.body.find("harmonic_http_requests_total{status=\"401\"} 6") != std::string::npos);
  CHECK(get("/healthz", "").status == 200);
}

namespace {

class BrokenStore : public harmonic::storage::SqliteStore {
 public:
  BrokenStore() : SqliteStore(":memory:") {}
  std::optional<std::string> get_setting(const std::string&) override {
    throw harmonic::storage::StorageError("disk on fire");
  }
  harmonic::storage::UniversePage list_universes_visible_to(const std::string&, int,
                                                             const std::optional<std::string>&) override {
    throw harmonic::storage::StorageError("disk on fire");
  }
};

}  // namespace

TEST_CASE("store failures are 503 on healthz and 500 elsewhere, never a crash", "[api][ops]") {
  BrokenStore store;
  harmonic::auth::TokenService tokens{std::string(48, 'k')};
  harmonic::test::RecordingNotifier notifier;
  harmonic::core::Metrics metrics;
  harmonic::http::RestApi api(store, tokens, notifier, metrics);
  harmonic::http::ApiRequest request;
  request.method = "GET";
  request.path = "/healthz";
  CHECK(api.handle(request).status == 503);

  const auto user = store.create_user("ada", "", "x", 0);
  request.path = "/api/universes";
  request.headers["authorization"] = "Bearer " + tokens.issue(user->id, user->username);
  const auto failed = api.handle(request);
  CHECK(failed.status == 500);
  CHECK(error_code_of(failed) == "server_error");
  CHECK(failed.body.find("disk on fire") == std::string::npos);
}
