#include "http/attempt_limiter.hpp"

namespace harmonic::http {

void AttemptLimiter::forget_expired(std::deque<std::int64_t>& times, std::int64_t now_ms) const {
  while (!times.empty() && times.front() <= now_ms - limits_.window_ms) times.pop_front();
}

std::int64_t AttemptLimiter::retry_after_ms(const std::string& key, std::int64_t now_ms) {
  const auto it = attempts_.find(key);
  if (it == attempts_.end()) return 0;
  forget_expired(it->second, now_ms);
  if (static_cast<int>(it->second.size()) < limits_.max_attempts) return 0;
  // The oldest attempt still in the window leaves it at oldest + window.
  return it->second.front() + limits_.window_ms - now_ms;
}

void AttemptLimiter::record(const std::string& key, std::int64_t now_ms) {
  sweep(now_ms);
  auto& times = attempts_[key];
  forget_expired(times, now_ms);
  times.push_back(now_ms);
}

void AttemptLimiter::sweep(std::int64_t now_ms) {
  if (now_ms - last_sweep_ms_ < limits_.window_ms) return;
  last_sweep_ms_ = now_ms;
  for (auto it = attempts_.begin(); it != attempts_.end();) {
    forget_expired(it->second, now_ms);
    it = it->second.empty() ? attempts_.erase(it) : std::next(it);
  }
}

}  // namespace harmonic::http
