#include "http/attempt_limiter.hpp"

#include <algorithm>

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
  while (static_cast<int>(times.size()) > limits_.max_attempts) times.pop_front();
}

int AttemptLimiter::recent(const std::string& key, std::int64_t now_ms) {
  const auto it = attempts_.find(key);
  if (it == attempts_.end()) return 0;
  forget_expired(it->second, now_ms);
  return static_cast<int>(it->second.size());
}

void AttemptLimiter::sweep(std::int64_t now_ms) {
  if (now_ms - last_sweep_ms_ < limits_.window_ms) return;
  last_sweep_ms_ = now_ms;
  for (auto it = attempts_.begin(); it != attempts_.end();) {
    forget_expired(it->second, now_ms);
    it = it->second.empty() ? attempts_.erase(it) : std::next(it);
  }
}

std::int64_t LoginSlowDown::delay_ms(int failures) const {
  if (failures <= free_failures) return 0;
  std::int64_t delay = first_delay_ms;
  for (int extra = failures - free_failures - 1; extra > 0 && delay < max_delay_ms; --extra) delay *= 2;
  return std::min(delay, max_delay_ms);
}

int LoginSlowDown::failures_at_max_delay() const {
  int failures = free_failures + 1;
  if (first_delay_ms <= 0) return failures;  // no delay ever grows
  while (delay_ms(failures) < max_delay_ms) ++failures;
  return failures;
}

}  // namespace harmonic::http
