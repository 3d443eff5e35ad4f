// UniverseChange::expected_parameters: a compare-and-set against the committed values,
// inside the change's transaction (store.hpp), on every store.
#include <catch2/catch.hpp>

#include "fixtures.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;
using harmonic::test::StoreWithUsers;

namespace {

UniverseChange gravity_from(const std::string& universe_id, const std::string& user_id, nlohmann::json from,
                            double to) {
  UniverseChange change;
  change.universe_id = universe_id;
  change.timestamp = 5000;
  change.expected_parameters["physics"] = {{"gravity", std::move(from)}};
  change.parameter_sets["physics"] = {{"gravity", to}, {"friction", 0.5}};
  change.history.push_back({0, 5000, user_id, "parameter", "physics", {{"gravity", to}}});
  return change;
}

}  // namespace

TEST_CASE("a change whose expected values hold is applied") {
  StoreWithUsers s(EACH_STORE());
  const auto universe = s.make_universe();
  const auto applied = s.store.commit(gravity_from(universe.id, s.owner.id, 9.81, 3.0));
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].seq == 1);
  CHECK(s.store.load_parameters(universe.id)["physics"]["gravity"] == 3.0);
}

TEST_CASE("a change whose expected values no longer hold is refused with the committed ones") {
  StoreWithUsers s(EACH_STORE());
  const auto universe = s.make_universe();
  s.store.commit(gravity_from(universe.id, s.owner.id, 9.81, 3.0));
  try {
    s.store.commit(gravity_from(universe.id, s.owner.id, 9.81, 4.0));
    FAIL("the second compare-and-set from 9.81 was applied");
  } catch (const ParameterConflict& conflict) {
    CHECK(conflict.current() == nlohmann::json{{"physics", {{"gravity", 3.0}}}});
  }
  CHECK(s.store.load_parameters(universe.id)["physics"]["gravity"] == 3.0);
  CHECK(s.store.latest_history(universe.id, 10).size() == 1);

  SECTION("inside a batch the refused change undoes only itself, and uses no seq") {
    s.store.begin_batch();
    CHECK_THROWS_AS(s.store.commit(gravity_from(universe.id, s.owner.id, 1.0, 5.0)), ParameterConflict);
    CHECK(s.store.commit(gravity_from(universe.id, s.owner.id, 3.0, 6.0)).at(0).seq == 2);
    s.store.commit_batch();
    CHECK(s.store.load_parameters(universe.id)["physics"]["gravity"] == 6.0);
  }
  SECTION("a parameter that does not exist compares as null") {
    auto change = gravity_from(universe.id, s.owner.id, 3.0, 7.0);
    change.expected_parameters["physics"]["no_such_parameter"] = nullptr;
    CHECK(s.store.commit(change).at(0).seq == 2);
    auto wrong = gravity_from(universe.id, s.owner.id, 7.0, 8.0);
    wrong.expected_parameters["audio"]["no_such_parameter"] = 1;
    CHECK_THROWS_AS(s.store.commit(wrong), ParameterConflict);
  }
}

TEST_CASE("merged parameter sets change only their keys, keeping what another writer committed") {
  StoreWithUsers s(EACH_STORE());
  const auto universe = s.make_universe();
  // Two writers built their change from the same stale copy: each sends only its own key.
  for (const auto& [name, value] : {std::pair<std::string, double>{"gravity", 2.0}, {"friction", 0.25}}) {
    UniverseChange change;
    change.universe_id = universe.id;
    change.timestamp = 5000;
    change.merge_parameter_sets = true;
    change.parameter_sets["physics"] = {{name, value}};
    change.history.push_back({0, 5000, s.owner.id, "parameter", "physics", {{name, value}}});
    s.store.commit(change);
  }
  const auto physics = s.store.load_parameters(universe.id)["physics"];
  CHECK(physics["gravity"] == 2.0);
  CHECK(physics["friction"] == 0.25);
  CHECK(physics.size() == default_parameters()["physics"].size());  // the other keys are kept
}
