// Every row of the schema table (params/table.hpp) that the simulation or the music
// consumes has a typed field with the schema's default and range: the typed settings
// are derived from the table, and this walks the table to prove nothing was missed.
// Visualization has no typed settings: the client reads it by name from the JSON.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "music/settings.hpp"
#include "params/schema.hpp"
#include "sim/physics_settings.hpp"

using namespace harmonic;

namespace {

// One category's typed settings seen through its by-name setter and getter. `set`
// returns false for an unknown name or a refused value; `get` reads the value the
// consumer would use (after clamping).
struct TypedCategory {
  std::function<bool(std::string_view name, const std::string& text)> set;
  std::function<std::optional<harmonic::music::FieldValue>(std::string_view name)> get;
  std::function<void()> reset;
};

std::string text_of(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

TypedCategory physics_category(harmonic::sim::PhysicsSettings& settings) {
  return {[&](std::string_view name, const std::string& text) {
            return harmonic::sim::set_physics_field(settings, name, std::stod(text));
          },
          [&](std::string_view name) -> std::optional<harmonic::music::FieldValue> {
            double value = 0;
            if (!harmonic::sim::get_physics_field(harmonic::sim::clamped(settings), name, value)) return std::nullopt;
            return value;
          },
          [&] { settings = {}; }};
}

TypedCategory music_category(harmonic::music::MusicSettings& settings) {
  return {[&](std::string_view name, const std::string& text) { return harmonic::music::set_music_field(settings, name, text); },
          [&](std::string_view name) { return harmonic::music::get_music_field(harmonic::music::clamped(settings), name); },
          [&] { settings = {}; }};
}

TypedCategory audio_category(harmonic::music::AudioSettings& settings) {
  return {[&](std::string_view name, const std::string& text) { return harmonic::music::set_audio_field(settings, name, text); },
          [&](std::string_view name) { return harmonic::music::get_audio_field(harmonic::music::clamped(settings), name); },
          [&] { settings = {}; }};
}

double number_of(const std::optional<harmonic::music::FieldValue>& value) {
  REQUIRE(value.has_value());
  REQUIRE(std::holds_alternative<double>(*value));
  return std::get<double>(*value);
}

std::string_view text_of_choice(const std::optional<harmonic::music::FieldValue>& value) {
  REQUIRE(value.has_value());
  REQUIRE(std::holds_alternative<std::string_view>(*value));
  return std::get<std::string_view>(*value);
}

void check_covers(const params::CategorySpec& category, TypedCategory typed) {
  for (const auto& row : category.parameters) {
    INFO(std::string(category.name) + "." + std::string(row.name));
    typed.reset();
    switch (row.type) {
      case params::ValueType::real:
      case params::ValueType::integer: {
        CHECK(number_of(typed.get(row.name)) == row.default_number);
        const double span = row.max - row.min;
        REQUIRE(typed.set(row.name, text_of(row.max + span + 1)));
        CHECK(number_of(typed.get(row.name)) == row.max);
        REQUIRE(typed.set(row.name, text_of(row.min - span - 1)));
        CHECK(number_of(typed.get(row.name)) == row.min);
        // Inside the range a value is kept (an integer one rounded to whole).
        const double middle = row.min + span / 2;
        REQUIRE(typed.set(row.name, text_of(middle)));
        const double expected = row.type == params::ValueType::integer ? std::round(middle) : middle;
        CHECK(number_of(typed.get(row.name)) == expected);
        break;
      }
      case params::ValueType::choice: {
        CHECK(text_of_choice(typed.get(row.name)) == row.default_text);
        for (const auto choice : row.choices) {
          REQUIRE(typed.set(row.name, std::string(choice)));
          CHECK(text_of_choice(typed.get(row.name)) == choice);
        }
        CHECK_FALSE(typed.set(row.name, "not-a-choice"));
        break;
      }
      case params::ValueType::color:
        FAIL("no typed settings hold a colour; read it from the JSON or add a typed field");
        break;
    }
  }
}

}  // namespace

TEST_CASE("the typed physics settings cover every physics row with its default and range") {
  harmonic::sim::PhysicsSettings settings;
  check_covers(*params::find_category("physics"), physics_category(settings));
}

TEST_CASE("the typed music settings cover every music row with its default and range") {
  harmonic::music::MusicSettings settings;
  check_covers(*params::find_category("music"), music_category(settings));
}

TEST_CASE("the typed audio settings cover every audio row with its default and range") {
  harmonic::music::AudioSettings settings;
  check_covers(*params::find_category("audio"), audio_category(settings));
}

TEST_CASE("the typed settings refuse names that are not schema rows") {
  harmonic::sim::PhysicsSettings physics;
  harmonic::music::MusicSettings music_settings;
  harmonic::music::AudioSettings audio;
  for (auto typed : {physics_category(physics), music_category(music_settings), audio_category(audio)}) {
    CHECK_FALSE(typed.set("warp_drive", "1"));
    CHECK_FALSE(typed.get("warp_drive").has_value());
  }
}

TEST_CASE("every category the simulation and music consume is checked above") {
  // A fifth category would need typed settings (and a test case here) or a note
  // that it is read from the JSON like visualization.
  std::vector<std::string> names;
  for (const auto& category : params::categories()) names.emplace_back(category.name);
  CHECK(names == std::vector<std::string>{"physics", "music", "audio", "visualization"});
}
