// The per-account budget of authenticated API requests (docs/operations.md, "API request
// budget"): one account looping on GET /api/universes must not take the event loop from
// everyone else, so past its budget it gets 429 while other accounts are served.
#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;

namespace {

ApiFixture fixture_with_budget(int requests, std::int64_t window_ms) {
  return ApiFixture({}, {}, harmonic::http::RestOptions{}.registrations_per_address,
                    [=](harmonic::http::RestOptions& options) {
                      options.api_requests_per_account = {requests, window_ms};
                    });
}

}  // namespace

TEST_CASE("an account past its API request budget gets 429 with Retry-After, other accounts are served",
          "[api][budget]") {
  auto api = fixture_with_budget(5, 10'000);
  const auto flooder = api.make_user("flooder");
  const auto other = api.make_user("other");

  for (int i = 0; i < 5; ++i) REQUIRE(api.send("GET", "/api/universes", "", flooder.token).status == 200);
  const auto refused = api.send("GET", "/api/universes", "", flooder.token);
  CHECK(refused.status == 429);
  CHECK(error_code_of(refused) == "rate_limited");
  CHECK(body_of(refused)["error"]["details"]["retry_after_seconds"].get<int>() >= 1);
  CHECK(api.send("GET", "/api/universes", "", other.token).status == 200);

  // The window slides: once it has passed, the account is served again.
  api.now_ms += 10'001;
  CHECK(api.send("GET", "/api/universes", "", flooder.token).status == 200);
}

TEST_CASE("requests without a valid token do not spend an account's budget", "[api][budget]") {
  auto api = fixture_with_budget(2, 10'000);
  const auto owner = api.make_user("owner");
  for (int i = 0; i < 20; ++i) {
    CHECK(api.send("GET", "/api/universes", "", owner.token + "forged").status == 401);
  }
  CHECK(api.send("GET", "/api/universes", "", owner.token).status == 200);
}

TEST_CASE("the default budget lets a client page through a long list at once", "[api][budget]") {
  ApiFixture api;
  const auto reader = api.make_user("reader");
  for (int i = 0; i < 200; ++i) REQUIRE(api.send("GET", "/api/universes", "", reader.token).status == 200);
}
