// Whose audio export (GET /api/universes/{id}/export.wav) may render now. Rendering is
// CPU-bound and runs on the small worker pool, so only `slots` renders run at once.
//
// Why: with one global slot and first-come-first-served, one account that asked again
// the moment its render finished kept every other account at 503 for as long as it
// liked (issue 12, finding 9). Now:
//   - an account renders at most one export at a time (a second one is refused at once);
//   - an account refused for lack of a free slot takes a place in line (one per
//     account), and a slot that frees goes to the head of the line, so each waiting
//     account gets its turn before anyone renders twice. Refused clients are told to come
//     back in a second (Retry-After); a place nobody comes back for within
//     `place_kept_ms` is given up, so a client that gave up blocks no one.
// Numbers: docs/operations.md ("Audio export").
//
// Thread-safe: try_start runs on the I/O thread, finish on the worker that rendered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_set>

namespace harmonic::http {

struct RenderTurnLimits {
  std::size_t slots = 1;            // renders at once, for everyone together
  std::size_t max_waiting = 64;     // accounts in line; past it a refusal keeps no place
  std::int64_t place_kept_ms = 10'000;
};

class RenderTurns {
 public:
  enum class Outcome {
    started,            // render now; call finish(user) when done
    already_rendering,  // this account's previous export is still rendering
    waiting,            // someone else's turn; this account keeps its place in line
    busy,               // the line is full; no place kept
  };
  struct Answer {
    Outcome outcome;
    std::size_t place = 0;  // for `waiting`: 1 = next
  };

  explicit RenderTurns(RenderTurnLimits limits = {}) : limits_(limits) {}

  Answer try_start(const std::string& user_id, std::int64_t now_ms);
  void finish(const std::string& user_id);

 private:
  struct Place {
    std::string user_id;
    std::int64_t last_asked_ms;
  };

  RenderTurnLimits limits_;
  std::mutex mutex_;
  std::unordered_set<std::string> rendering_;
  std::deque<Place> line_;
};

}  // namespace harmonic::http
