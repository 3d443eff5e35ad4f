#include "benchmark.hpp"

#include "music/synth.hpp"
#include "sim/world.hpp"

#include <chrono>
#include <vector>

namespace harmonic::tools {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

SimulationTiming time_simulation(const Options& options) {
  harmonic::sim::World world(options.seed, options.physics);
  for (uint64_t s = 0; s < options.warmup_steps; ++s) {
    world.step();
    world.clear_events();
  }
  SimulationTiming timing;
  uint64_t substeps = 0;
  const auto start = Clock::now();
  do {
    world.step();
    world.clear_events();  // a consumer drains every step; keeps the sink cheap
    substeps += static_cast<uint64_t>(world.last_substeps());
    ++timing.steps;
    timing.wall_seconds = seconds_since(start);
  } while (timing.wall_seconds < 2.0 || timing.steps < 30);
  timing.steps_per_second = static_cast<double>(timing.steps) / timing.wall_seconds;
  timing.mean_substeps = static_cast<double>(substeps) / static_cast<double>(timing.steps);
  return timing;
}

double synth_realtime_factor(const Options& options) {
  constexpr double kAudioSeconds = 30.0;
  constexpr size_t kBlock = 512;
  harmonic::music::AudioSettings audio = options.audio;
  harmonic::music::Synth synth(audio);
  for (double t = 0; t < kAudioSeconds; t += 0.125) {
    const int root = 48 + static_cast<int>(t * 8) % 24;
    for (int offset : {0, 4, 7}) synth.schedule(harmonic::music::Note{t, 0.25, root + offset, 0.8f});
  }
  std::vector<float> block(kBlock);
  const auto frames = static_cast<size_t>(kAudioSeconds * harmonic::music::Synth::kSampleRate);
  const auto start = Clock::now();
  for (size_t done = 0; done < frames; done += kBlock) synth.render(block.data(), kBlock);
  return kAudioSeconds / seconds_since(start);
}

}  // namespace harmonic::tools
