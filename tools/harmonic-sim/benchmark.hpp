// Timings printed by `harmonic-sim --bench`.
#pragma once

#include "command_line.hpp"

#include <cstdint>

namespace harmonic::tools {

struct SimulationTiming {
  uint64_t steps = 0;
  double wall_seconds = 0;
  double steps_per_second = 0;
  double mean_substeps = 0;
};

// Runs options.warmup_steps untimed (so piles and collisions have formed), then
// steps for at least two seconds of wall time and at least 30 steps.
SimulationTiming time_simulation(const Options& options);

// Renders a busy passage (a three-note chord every 1/8 s, up to 16 voices with
// tails, echo and reverb) and returns audio seconds per wall-clock second.
double synth_realtime_factor(const Options& options);

}  // namespace harmonic::tools
