// /healthz in cluster mode: while the fan-out between nodes (Redis) is away the node is
// degraded but still 200, since its writes are stored (docs/cluster.md).
#include <catch2/catch.hpp>

#include "api_fixture.hpp"

using harmonic::test::ApiFixture;
using harmonic::test::body_of;

TEST_CASE("healthz says degraded (200, fanout_unavailable) while the fan-out is down, ok once it is back", "[ops]") {
  bool down = true;
  ApiFixture f({}, {}, harmonic::http::RestOptions{}.registrations_per_address,
               [&down](harmonic::http::RestOptions& options) { options.fanout_down = [&down] { return down; }; });
  auto health = f.send("GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(body_of(health)["status"] == "degraded");
  CHECK(body_of(health)["reason"] == "fanout_unavailable");
  down = false;
  health = f.send("GET", "/healthz");
  CHECK(health.status == 200);
  CHECK(body_of(health)["status"] == "ok");
}
