#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "params/schema.hpp"
#include "params/validation.hpp"

using namespace harmonic::params;
using nlohmann::json;

TEST_CASE("the schema has the four categories of docs/parameters.md") {
  REQUIRE(categories().size() == 4);
  CHECK(categories()[0].name == "physics");
  CHECK(categories()[0].parameters.size() == 10);
  CHECK(categories()[1].parameters.size() == 6);
  CHECK(categories()[2].parameters.size() == 13);
  CHECK(categories()[3].parameters.size() == 11);
  auto defaults = all_defaults();
  CHECK(defaults["physics"]["gravity"] == 9.81);
  CHECK(defaults["physics"]["particle_count"] == 1000);
  CHECK(defaults["physics"]["particle_count"].is_number_integer());
  CHECK(defaults["music"]["key"] == "C");
  CHECK(defaults["audio"]["filter_cutoff"] == 2000.0);
  CHECK(defaults["visualization"]["background_color"] == "#05060A");
}

TEST_CASE("every default passes its own validation") {
  for (const auto& category : categories()) {
    auto result = validate_parameters(category.name, default_values(category.name));
    INFO(category.name << ": " << summarise_errors(result.errors));
    CHECK(result.ok());
  }
}

TEST_CASE("every numeric bound is inclusive and nothing beyond it passes") {
  for (const auto& category : categories()) {
    for (const auto& spec : category.parameters) {
      if (spec.type != ValueType::real && spec.type != ValueType::integer) continue;
      const std::string name(spec.name);
      INFO(category.name << "." << name);
      CHECK(validate_parameters(category.name, json{{name, spec.min}}).ok());
      CHECK(validate_parameters(category.name, json{{name, spec.max}}).ok());
      const double below = spec.type == ValueType::integer ? spec.min - 1 : std::nextafter(spec.min, -1e300);
      const double above = spec.type == ValueType::integer ? spec.max + 1 : std::nextafter(spec.max, 1e300);
      auto low = validate_parameters(category.name, json{{name, below}});
      auto high = validate_parameters(category.name, json{{name, above}});
      REQUIRE_FALSE(low.ok());
      REQUIRE_FALSE(high.ok());
      CHECK(low.errors[0].field == std::string(category.name) + "." + name);
      CHECK(high.errors[0].allowed["max"] == spec.max);
      CHECK_FALSE(validate_parameters(category.name, json{{name, "5"}}).ok());
      CHECK_FALSE(validate_parameters(category.name, json{{name, true}}).ok());
      CHECK_FALSE(validate_parameters(category.name, json{{name, nullptr}}).ok());
      CHECK_FALSE(validate_parameters(category.name, json{{name, std::numeric_limits<double>::infinity()}}).ok());
      CHECK_FALSE(validate_parameters(category.name, json{{name, std::nan("")}}).ok());
    }
  }
}

TEST_CASE("integers must be whole, reals are stored as doubles") {
  CHECK(validate_parameters("physics", {{"particle_count", 500.0}}).values["particle_count"].is_number_integer());
  CHECK_FALSE(validate_parameters("physics", {{"particle_count", 500.5}}).ok());
  auto gravity = validate_parameters("physics", {{"gravity", 15}});
  REQUIRE(gravity.ok());
  CHECK(gravity.values["gravity"].is_number_float());
}

TEST_CASE("choices and colours") {
  CHECK(validate_parameters("music", {{"key", "F#"}}).ok());
  CHECK_FALSE(validate_parameters("music", {{"key", "H"}}).ok());
  CHECK(validate_parameters("music", {{"scale", "harmonic_minor"}}).ok());
  CHECK_FALSE(validate_parameters("audio", {{"waveform", "noise"}}).ok());
  auto colour = validate_parameters("visualization", {{"glow_color", "#a1b2c3"}});
  REQUIRE(colour.ok());
  CHECK(colour.values["glow_color"] == "#A1B2C3");
  CHECK_FALSE(validate_parameters("visualization", {{"glow_color", "#a1b2c"}}).ok());
  CHECK_FALSE(validate_parameters("visualization", {{"glow_color", "red"}}).ok());
  CHECK_FALSE(validate_parameters("visualization", {{"glow_color", "#GGGGGG"}}).ok());
}

TEST_CASE("a request is refused whole, naming every offending field") {
  auto result = validate_parameters("physics", {{"gravity", 15.0}, {"friction", 2.0}, {"warp", 1}});
  REQUIRE_FALSE(result.ok());
  CHECK(result.errors.size() == 2);
  CHECK(result.values.empty());
  auto details = describe_errors(result.errors);
  CHECK(details["fields"].size() == 2);
  CHECK(summarise_errors(result.errors).find("physics.friction") != std::string::npos);
  CHECK_FALSE(validate_parameters("chemistry", {{"x", 1}}).ok());
  CHECK_FALSE(validate_parameters("physics", json::object()).ok());
  CHECK_FALSE(validate_parameters("physics", json::array({1})).ok());
  // the same name exists in two categories with different ranges
  CHECK(validate_parameters("visualization", {{"particle_size", 15.0}}).ok());
  CHECK_FALSE(validate_parameters("physics", {{"particle_size", 15.0}}).ok());
}

TEST_CASE("same_value compares numbers by value") {
  CHECK(same_value(15, 15.0));
  CHECK_FALSE(same_value(15, 15.5));
  CHECK(same_value("C", "C"));
  CHECK_FALSE(same_value("C", 1));
}
