// harmonic-sim: a universe without a window. See command_line.cpp for the options.
#include "benchmark.hpp"
#include "command_line.hpp"

#include "music/universe_music.hpp"
#include "sim/world.hpp"

#include <cinttypes>
#include <cstdio>
#include <string>

namespace {

int print_hash(const harmonic::tools::Options& options) {
  harmonic::sim::World world(options.seed, options.physics);
  for (uint64_t s = 0; s < options.steps; ++s) {
    world.step();
    world.clear_events();
  }
  std::printf("%016" PRIx64 "\n", world.state_hash());
  return 0;
}

int write_wav(const harmonic::tools::Options& options) {
  const std::vector<uint8_t> wav = harmonic::music::render_universe_wav(
      options.seed, options.physics, options.music, options.audio, options.seconds);
  std::FILE* file = std::fopen(options.wav_path.c_str(), "wb");
  if (!file) {
    std::fprintf(stderr, "harmonic-sim: cannot open %s for writing\n", options.wav_path.c_str());
    return 1;
  }
  const size_t written = std::fwrite(wav.data(), 1, wav.size(), file);
  const bool closed = std::fclose(file) == 0;
  if (written != wav.size() || !closed) {
    std::fprintf(stderr, "harmonic-sim: writing %s failed\n", options.wav_path.c_str());
    return 1;
  }
  std::printf("wrote %s: %.2f s, %zu bytes\n", options.wav_path.c_str(), options.seconds, wav.size());
  return 0;
}

int bench(const harmonic::tools::Options& options) {
  const auto timing = harmonic::tools::time_simulation(options);
  std::printf("particles %d\n", options.physics.particle_count);
  std::printf("steps_per_second %.1f\n", timing.steps_per_second);
  std::printf("mean_substeps %.2f\n", timing.mean_substeps);
  std::printf("timed_steps %" PRIu64 " after %" PRIu64 " warm-up steps\n", timing.steps,
              options.warmup_steps);
  std::printf("audio_realtime_factor %.1f\n", harmonic::tools::synth_realtime_factor(options));
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::string error;
  const auto options = harmonic::tools::parse_command_line(argc, argv, error);
  if (!options) {
    std::fprintf(stderr, "harmonic-sim: %s\n%s", error.c_str(), harmonic::tools::usage_text());
    return 2;
  }
  if (options->help || (!options->print_hash && options->wav_path.empty() && !options->bench)) {
    std::fputs(harmonic::tools::usage_text(), options->help ? stdout : stderr);
    return options->help ? 0 : 2;
  }
  int status = 0;
  if (options->print_hash) status |= print_hash(*options);
  if (!options->wav_path.empty()) status |= write_wav(*options);
  if (options->bench) status |= bench(*options);
  return status;
}
