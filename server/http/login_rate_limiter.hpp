// Slows down password guessing: at most `max_attempts` login attempts per key within a
// sliding window (default 10 per minute). RestApi keeps one limiter for remote addresses
// and one for usernames (lower-cased), so neither spreading guesses over many accounts
// from one address nor over many addresses against one account gets far.
//
// Refused attempts are not counted, so a client that waits Retry-After seconds gets in.
// Time comes from the caller (milliseconds), so tests need no sleeping. Keys whose
// attempts have all expired are swept now and then, keeping memory bounded by the
// number of keys seen within one window.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>

namespace harmonic::http {

struct LoginLimits {
  int max_attempts = 10;
  std::int64_t window_ms = 60'000;
};

class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(LoginLimits limits = {}) : limits_(limits) {}

  // 0 when an attempt is allowed now; otherwise how many milliseconds until one will be.
  std::int64_t retry_after_ms(const std::string& key, std::int64_t now_ms);
  // Counts one attempt (call only for attempts that go ahead).
  void record(const std::string& key, std::int64_t now_ms);

  std::size_t tracked_keys() const { return attempts_.size(); }

 private:
  void forget_expired(std::deque<std::int64_t>& times, std::int64_t now_ms) const;
  void sweep(std::int64_t now_ms);

  LoginLimits limits_;
  std::unordered_map<std::string, std::deque<std::int64_t>> attempts_;
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace harmonic::http
