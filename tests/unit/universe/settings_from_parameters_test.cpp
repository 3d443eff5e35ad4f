#include <catch2/catch.hpp>

#include "params/schema.hpp"
#include "universe/settings_from_parameters.hpp"

using namespace harmonic;
using nlohmann::json;

TEST_CASE("stored parameters become the typed settings of simulation and music") {
  auto parameters = params::all_defaults();
  parameters["physics"]["gravity"] = 15.5;
  parameters["physics"]["particle_count"] = 250;
  parameters["music"]["tempo"] = 90;
  parameters["music"]["key"] = "F#";
  parameters["music"]["scale"] = "blues";
  parameters["music"]["harmony"] = 0.25;
  parameters["audio"]["waveform"] = "sawtooth";
  parameters["audio"]["filter_cutoff"] = 440.0;
  const auto settings = universe::settings_from_parameters(parameters);
  CHECK(settings.physics.gravity == 15.5);
  CHECK(settings.physics.particle_count == 250);
  CHECK(settings.music.tempo == 90);
  CHECK(settings.music.key == harmonic::music::Key::Fs);
  CHECK(settings.music.scale == harmonic::music::Scale::blues);
  CHECK(settings.music.harmony == 0.25);
  CHECK(settings.audio.waveform == harmonic::music::Waveform::sawtooth);
  CHECK(settings.audio.filter_cutoff == 440.0);
}

TEST_CASE("the schema defaults and the typed defaults agree") {
  const auto from_schema = universe::settings_from_parameters(params::all_defaults());
  CHECK(from_schema.physics.gravity == harmonic::sim::PhysicsSettings{}.gravity);
  CHECK(from_schema.physics.particle_count == harmonic::sim::PhysicsSettings{}.particle_count);
  CHECK(from_schema.music == harmonic::music::MusicSettings{});
  CHECK(from_schema.audio == harmonic::music::AudioSettings{});
}

TEST_CASE("unknown names, wrong types and missing categories fall back to defaults") {
  const auto settings = universe::settings_from_parameters(
      json{{"physics", {{"gravity", "heavy"}, {"warp", 3}}}, {"music", json::array()}});
  CHECK(settings.physics.gravity == harmonic::sim::PhysicsSettings{}.gravity);
  CHECK(settings.music == harmonic::music::MusicSettings{});
  CHECK(universe::settings_from_parameters(nullptr).audio == harmonic::music::AudioSettings{});
}
