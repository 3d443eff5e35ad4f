// A bound on password hashing waiting for or running on the worker pool. Each register,
// login and password change costs an argon2id hash (~0.1 s of CPU and 64 MiB), run off the
// I/O thread (ApiResponse::offload); without a bound, a burst of such requests queued
// without limit, holding their memory and making every later login wait behind them.
// A route takes a slot before it creates the work and holds it until the work is done
// (the ticket is kept by the offload and finish steps); with no slot free it answers 503
// with Retry-After (password_work_busy), counted in /metrics as
// harmonic_errors_total{code="password_work_busy"}.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

namespace harmonic::http {

// Work beyond the running hashes that may wait, so a short burst is queued, not refused.
inline constexpr std::size_t kPasswordWorkQueueSlack = 4;

// The bound for a pool of `workers` threads: two per worker, plus the slack.
constexpr std::size_t password_work_limit_for(std::size_t workers) { return 2 * workers + kPasswordWorkQueueSlack; }

class PasswordWorkLimit {
 public:
  using Ticket = std::shared_ptr<void>;

  explicit PasswordWorkLimit(std::size_t limit) : state_(std::make_shared<State>(limit)) {}

  // A slot, held until the ticket and every copy of it are gone; empty when all are taken.
  // Tickets may be released on any thread (a worker or the I/O thread).
  Ticket try_acquire() {
    auto& in_use = state_->in_use;
    std::size_t current = in_use.load();
    do {
      if (current >= state_->limit) return nullptr;
    } while (!in_use.compare_exchange_weak(current, current + 1));
    // A non-null pointer, so that `if (ticket)` tells a slot from none.
    return Ticket(static_cast<void*>(state_.get()), [state = state_](void*) { state->in_use.fetch_sub(1); });
  }

  std::size_t in_use() const { return state_->in_use.load(); }
  std::size_t limit() const { return state_->limit; }

 private:
  struct State {
    explicit State(std::size_t limit_) : limit(limit_) {}
    const std::size_t limit;
    std::atomic<std::size_t> in_use{0};
  };
  std::shared_ptr<State> state_;  // shared with the tickets, which may outlive this object
};

}  // namespace harmonic::http
