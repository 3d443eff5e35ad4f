// The App's two clocks. std::chrono is the same on both platforms (Emscripten maps
// steady_clock to performance.now() and system_clock to Date.now()).
#pragma once

#include <chrono>

namespace harmonic::frontend {

// For frame timing.
inline double monotonic_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// Milliseconds since the epoch, comparable with the server's timestamps.
inline double wall_clock_ms() {
  using namespace std::chrono;
  return double(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace harmonic::frontend
