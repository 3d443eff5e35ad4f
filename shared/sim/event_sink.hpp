// Collects the events of a step without allocating and without bias.
//
// A crowded universe produces hundreds of thousands of impacts per second, far
// more than music can use. Keeping only the first N would keep only the impacts
// processed first (the bottom rows of the grid: always the lowest notes), so the
// sink keeps a uniform random sample instead: each candidate is accepted with the
// probability that would have kept the previous step near the per-step budget.
// The "random" choice is a hash of (step, candidate number): deterministic.
// A sudden burst (the first step, a count jump) is cut at kMaxPerStep, which is
// biased for that one step only.
#pragma once

#include "sim/event.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace harmonic::sim {

class EventSink {
 public:
  static constexpr uint32_t kBudgetPerStep = 256;   // events kept per step, roughly
  static constexpr uint32_t kMaxPerStep = 2 * kBudgetPerStep;
  static constexpr uint32_t kCapacity = 8192;        // kept until someone drains them

  EventSink();

  void begin_step(uint64_t step);
  void end_step();

  // Offers a candidate; it may be dropped. Inline because it sits in the contact loop.
  void offer(EventKind kind, uint32_t particle, float x, float y, float impact_speed) {
    const uint32_t n = candidates_++;
    if (acceptance_ != kAlways) {
      const uint32_t draw = static_cast<uint32_t>(hash_candidate(n) >> 32);
      if (draw >= acceptance_) return;
    }
    if (accepted_ >= kMaxPerStep || events_.size() >= kCapacity) return;
    ++accepted_;
    events_.push_back(Event{kind, particle, x, y, impact_speed});
  }

  std::span<const Event> events() const { return events_; }
  void clear() { events_.clear(); }
  uint32_t candidates_last_step() const { return candidates_last_step_; }

 private:
  static constexpr uint32_t kAlways = 0xFFFFFFFFu;
  uint64_t hash_candidate(uint32_t n) const;

  std::vector<Event> events_;
  uint64_t step_ = 0;
  uint32_t candidates_ = 0;
  uint32_t accepted_ = 0;
  uint32_t candidates_last_step_ = 0;
  uint32_t acceptance_ = kAlways;  // threshold out of 2^32
};

}  // namespace harmonic::sim
