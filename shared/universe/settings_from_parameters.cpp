#include "universe/settings_from_parameters.hpp"

#include <string>

#include "params/table.hpp"

namespace harmonic::universe {
namespace {

// The music settings parse their fields from text, so numbers are handed over in a
// form that round-trips exactly.
std::string as_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

template <typename Settings, typename Setter>
Settings from_text_fields(const nlohmann::json& values, Setter set_field) {
  Settings settings;
  if (!values.is_object()) return settings;
  for (const auto& [name, value] : values.items()) {
    if (value.is_number() || value.is_string()) set_field(settings, name, as_text(value));
  }
  return settings;
}

}  // namespace

sim::PhysicsSettings physics_from_parameters(const nlohmann::json& physics) {
  sim::PhysicsSettings settings;
  if (!physics.is_object()) return settings;
  for (const auto& [name, value] : physics.items()) {
    if (value.is_number()) sim::set_physics_field(settings, name, value.get<double>());
  }
  return settings;
}

music::MusicSettings music_from_parameters(const nlohmann::json& music) {
  return from_text_fields<music::MusicSettings>(
      music, [](auto& s, const std::string& name, const std::string& text) { music::set_music_field(s, name, text); });
}

music::AudioSettings audio_from_parameters(const nlohmann::json& audio) {
  return from_text_fields<music::AudioSettings>(
      audio, [](auto& s, const std::string& name, const std::string& text) { music::set_audio_field(s, name, text); });
}

UniverseSettings settings_from_parameters(const nlohmann::json& parameters) {
  const auto category = [&](std::string_view name) {
    return parameters.is_object() ? parameters.value(std::string(name), nlohmann::json::object())
                                  : nlohmann::json::object();
  };
  return {physics_from_parameters(category(params::table::physics_name)),
          music_from_parameters(category(params::table::music_name)),
          audio_from_parameters(category(params::table::audio_name))};
}

}  // namespace harmonic::universe
