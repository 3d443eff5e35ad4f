#include <catch2/catch.hpp>

#include <set>

#include "api_fixture.hpp"
#include "params/schema.hpp"

using harmonic::http::header_value;
using harmonic::test::ApiFixture;
using harmonic::test::body_of;
using harmonic::test::error_code_of;
using nlohmann::json;

namespace {

// Any real-valued parameter of a category, to change it in a document.
const harmonic::params::ParameterSpec& some_real(std::string_view category) {
  for (const auto& spec : harmonic::params::find_category(category)->parameters) {
    if (spec.type == harmonic::params::ValueType::real) return spec;
  }
  throw std::runtime_error("no real parameter");
}

}  // namespace

TEST_CASE("export.json then import makes a copy owned by the importer", "[transfer]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  const auto bob = f.make_user("bob");
  const auto universe = f.make_universe(ada, "Original", true);
  const auto& spec = some_real("physics");
  const double changed = spec.min + (spec.max - spec.min) / 3;
  {
    harmonic::storage::UniverseChange change;
    change.universe_id = universe;
    change.timestamp = f.now_ms;
    auto physics = harmonic::params::default_values("physics");
    physics[std::string(spec.name)] = changed;
    change.parameter_sets["physics"] = physics;
    f.store.commit(change);
  }

  const auto exported = f.send("GET", "/api/universes/" + universe + "/export.json", "", bob.token);
  REQUIRE(exported.status == 200);
  CHECK(header_value(exported, "Content-Disposition").find("universe-" + universe + ".json") != std::string::npos);
  const auto document = body_of(exported);
  CHECK(document["format"] == "harmonic-universe");
  CHECK(document["version"] == 1);
  CHECK(document["name"] == "Original");
  CHECK(document["is_public"] == true);
  CHECK(document["parameters"]["physics"][std::string(spec.name)] == changed);

  f.next_seed = 7;
  const auto imported = f.send("POST", "/api/universes/import", document, bob.token);
  REQUIRE(imported.status == 201);
  const auto copy = body_of(imported);
  CHECK(copy["id"] != universe);
  CHECK(copy["owner_id"] == bob.id);
  CHECK(copy["role"] == "owner");
  CHECK(copy["seed"] == 7);
  CHECK(copy["name"] == "Original");
  CHECK(copy["parameters"] == document["parameters"]);
}

TEST_CASE("export needs sight of the universe", "[transfer]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  const auto eve = f.make_user("eve");
  const auto universe = f.make_universe(ada, "private");
  CHECK(f.send("GET", "/api/universes/" + universe + "/export.json", "", eve.token).status == 404);
  CHECK(f.send("GET", "/api/universes/" + universe + "/export.json", "").status == 401);
  CHECK(f.send("GET", "/api/universes/" + universe + "/export.json", "", ada.token).status == 200);
}

TEST_CASE("import fills missing parameters with defaults and refuses invalid ones", "[transfer]") {
  ApiFixture f;
  const auto ada = f.make_user("ada");
  const auto& spec = some_real("physics");
  const auto name = std::string(spec.name);

  SECTION("a partial document takes defaults for the rest") {
    const auto response = f.send("POST", "/api/universes/import",
                                 json{{"name", "Sparse"}, {"parameters", {{"physics", {{name, spec.max}}}}}}, ada.token);
    REQUIRE(response.status == 201);
    auto expected = harmonic::params::all_defaults();
    expected["physics"][name] = spec.max;
    CHECK(body_of(response)["parameters"] == expected);
    CHECK(body_of(response)["is_public"] == false);
  }
  SECTION("every invalid field is reported and nothing is created") {
    const auto response = f.send("POST", "/api/universes/import",
                                 json{{"name", "Broken"},
                                      {"parameters",
                                       {{"physics", {{name, spec.max + 1000}, {"no_such_parameter", 1}}},
                                        {"cooking", {{"salt", 1}}},
                                        {"music", "loud"}}}},
                                 ada.token);
    REQUIRE(response.status == 400);
    CHECK(error_code_of(response) == "bad_request");
    std::set<std::string> fields;
    const auto body = body_of(response);
    for (const auto& field : body["error"]["details"]["fields"]) fields.insert(field["field"]);
    CHECK(fields.count("physics." + name) == 1);
    CHECK(fields.count("physics.no_such_parameter") == 1);
    CHECK(fields.count("parameters.cooking") == 1);
    CHECK(fields.count("music") == 1);
    CHECK(f.store.count_universes_owned_by(ada.id) == 0);
  }
  SECTION("the document's own fields are checked") {
    const auto refuse = [&](const json& document) {
      const auto response = f.send("POST", "/api/universes/import", document, ada.token);
      INFO(document.dump());
      CHECK(response.status == 400);
    };
    refuse({{"parameters", json::object()}});
    refuse({{"name", "x"}});
    refuse({{"name", "x"}, {"parameters", 5}});
    refuse({{"name", ""}, {"parameters", json::object()}});
    refuse({{"name", "x"}, {"parameters", json::object()}, {"format", "something-else"}});
    refuse({{"name", "x"}, {"parameters", json::object()}, {"version", 2}});
    refuse({{"name", "x"}, {"parameters", json::object()}, {"is_public", "no"}});
    CHECK(f.send("POST", "/api/universes/import", "[]", ada.token).status == 400);
    CHECK(f.send("POST", "/api/universes/import", json{{"name", "x"}, {"parameters", json::object()}}).status == 401);
    CHECK(f.store.count_universes_owned_by(ada.id) == 0);
  }
}
