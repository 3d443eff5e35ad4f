#include "sim/event_sink.hpp"

#include "sim/random.hpp"

namespace harmonic::sim {

EventSink::EventSink() { events_.reserve(kCapacity); }

uint64_t EventSink::hash_candidate(uint32_t n) const {
  return splitmix64((step_ << 32) ^ n);
}

void EventSink::begin_step(uint64_t step) {
  step_ = step;
  candidates_ = 0;
  accepted_ = 0;
}

void EventSink::end_step() {
  candidates_last_step_ = candidates_;
  // Integer arithmetic only, so the sampling is identical on every platform.
  if (candidates_ <= kBudgetPerStep) {
    acceptance_ = kAlways;
  } else {
    acceptance_ = static_cast<uint32_t>((uint64_t{kBudgetPerStep} << 32) / candidates_);
  }
}

}  // namespace harmonic::sim
