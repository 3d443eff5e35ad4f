// GET/HEAD /api/universes/{id}/export.wav: HEAD names the size without rendering, and
// one account cannot keep everyone else's export at 503 (issue 12, finding 9).
#include <catch2/catch.hpp>

#include "api_fixture.hpp"
#include "http/render_turns.hpp"

using harmonic::http::ApiResponse;
using harmonic::http::header_value;
using harmonic::http::RenderTurns;
using harmonic::test::ApiFixture;
using harmonic::test::TestUser;

namespace {

// Straight to RestApi::handle: a render that was admitted comes back as `offload`, not
// yet run, so a test can hold it "in flight" like a busy worker would.
ApiResponse request_wav(ApiFixture& f, const std::string& method, const std::string& universe, const TestUser& user,
                        const std::string& seconds) {
  harmonic::http::ApiRequest request;
  request.method = method;
  request.path = "/api/universes/" + universe + "/export.wav";
  request.query["seconds"] = seconds;
  request.headers["authorization"] = "Bearer " + user.token;
  return f.api.handle(request);
}

}  // namespace

TEST_CASE("HEAD export.wav answers the length of the file without rendering it", "[transfer][export]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  const auto universe = f.make_universe(ada, "Loud");
  const auto head = request_wav(f, "HEAD", universe, ada, "120");
  CHECK(head.status == 200);
  CHECK_FALSE(head.offload);  // nothing handed to a worker: no render
  CHECK(head.body.empty());
  CHECK(head.content_type == "audio/wav");
  CHECK(header_value(head, "Content-Length") == std::to_string(44 + 2 * 48000 * 120));

  // The number is the GET's, byte for byte.
  const auto get = harmonic::http::complete_in_place(request_wav(f, "GET", universe, ada, "0.25"));
  REQUIRE(get.status == 200);
  CHECK(header_value(request_wav(f, "HEAD", universe, ada, "0.25"), "Content-Length") ==
        std::to_string(get.body.size()));
  // HEAD is refused like GET.
  CHECK(request_wav(f, "HEAD", universe, ada, "500").status == 400);
  CHECK(request_wav(f, "HEAD", universe, f.make_user("eve"), "1").status == 404);
}

TEST_CASE("an account renders one export at a time, and a waiting account gets the next turn", "[transfer][export]") {
  ApiFixture f;
  const auto hog = f.make_user("hog");
  const auto ada = f.make_user("ada");
  const auto universe = f.make_universe(hog, "Shared", true);

  auto first = request_wav(f, "GET", universe, hog, "0.05");
  REQUIRE(first.offload);  // rendering (not yet run)
  const auto twice = request_wav(f, "GET", universe, hog, "0.05");
  CHECK(twice.status == 429);
  CHECK(header_value(twice, "Retry-After") == "1");

  const auto ada_waits = request_wav(f, "GET", universe, ada, "0.05");
  CHECK(ada_waits.status == 503);
  CHECK(header_value(ada_waits, "Retry-After") == "1");
  CHECK(harmonic::test::body_of(ada_waits)["error"]["details"]["place"] == 1);

  CHECK(first.offload().status == 200);  // the hog's render ends...
  first.offload = nullptr;
  // ...and the hog, asking again at once, does not get the slot back: it is ada's turn.
  const auto hog_again = request_wav(f, "GET", universe, hog, "0.05");
  CHECK(hog_again.status == 503);
  auto ada_turn = request_wav(f, "GET", universe, ada, "0.05");
  REQUIRE(ada_turn.offload);
  CHECK(harmonic::http::complete_in_place(std::move(ada_turn)).status == 200);
  // Then the hog, who waited in line meanwhile.
  CHECK(harmonic::http::complete_in_place(request_wav(f, "GET", universe, hog, "0.05")).status == 200);
}

TEST_CASE("render turns: one per account, a line with one place per account, places expire", "[transfer][export]") {
  RenderTurns turns({1, 2, 10'000});
  using Outcome = RenderTurns::Outcome;
  CHECK(turns.try_start("a", 0).outcome == Outcome::started);
  CHECK(turns.try_start("a", 1).outcome == Outcome::already_rendering);
  CHECK(turns.try_start("b", 2).outcome == Outcome::waiting);
  CHECK(turns.try_start("b", 3).place == 1);  // asking again keeps the place, not a second one
  const auto c = turns.try_start("c", 4);
  CHECK(c.outcome == Outcome::waiting);
  CHECK(c.place == 2);
  CHECK(turns.try_start("d", 5).outcome == Outcome::busy);  // the line is full
  turns.finish("a");
  CHECK(turns.try_start("c", 6).outcome == Outcome::waiting);  // b is ahead
  CHECK(turns.try_start("b", 7).outcome == Outcome::started);
  turns.finish("b");
  // c never came back within 10 s: its place is given up and d starts at once.
  CHECK(turns.try_start("d", 6 + 10'001).outcome == Outcome::started);
}
