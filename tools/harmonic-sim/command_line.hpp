// The options of harmonic-sim, parsed by hand (no argument library: the tool must
// build for WebAssembly too, where the system libraries are not visible).
#pragma once

#include "music/settings.hpp"
#include "sim/physics_settings.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace harmonic::tools {

struct Options {
  uint64_t seed = 1;
  uint64_t steps = 600;
  harmonic::sim::PhysicsSettings physics;
  harmonic::music::MusicSettings music;
  harmonic::music::AudioSettings audio;
  bool print_hash = false;
  std::string wav_path;  // empty: no WAV
  double seconds = 10.0;
  bool bench = false;
  uint64_t warmup_steps = 300;  // --bench: steps before timing starts
  bool help = false;
};

// Parses argv. On error returns nullopt and puts a message in `error`.
std::optional<Options> parse_command_line(int argc, char** argv, std::string& error);

const char* usage_text();

}  // namespace harmonic::tools
