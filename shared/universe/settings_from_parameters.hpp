// The bridge from a universe's parameters as they travel and are stored
// ({"physics": {...}, "music": {...}, "audio": {...}}) to the typed settings the
// simulation and the synthesiser run on. Unknown names and wrong types are skipped
// (the server has validated them already), so any stored universe can be played.
#pragma once

#include <nlohmann/json.hpp>

#include "music/settings.hpp"
#include "sim/physics_settings.hpp"

namespace harmonic::universe {

struct UniverseSettings {
  sim::PhysicsSettings physics;
  music::MusicSettings music;
  music::AudioSettings audio;
};

sim::PhysicsSettings physics_from_parameters(const nlohmann::json& physics);
music::MusicSettings music_from_parameters(const nlohmann::json& music);
music::AudioSettings audio_from_parameters(const nlohmann::json& audio);
UniverseSettings settings_from_parameters(const nlohmann::json& parameters);

}  // namespace harmonic::universe
