// At most `max_attempts` attempts per key within a sliding window (default 10 per
// minute). RestApi uses it three times:
//   - logins per remote address and per username (lower-cased), so that neither
//     spreading guesses over many accounts from one address nor over many addresses
//     against one account gets far;
//   - registrations per remote address, because each one costs an argon2 hash (~0.1 s
//     of CPU) and a row, so a script cannot make either unbounded.
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

struct AttemptLimits {
  int max_attempts = 10;
  std::int64_t window_ms = 60'000;
};

class AttemptLimiter {
 public:
  explicit AttemptLimiter(AttemptLimits limits = {}) : limits_(limits) {}

  // 0 when an attempt is allowed now; otherwise how many milliseconds until one will be.
  std::int64_t retry_after_ms(const std::string& key, std::int64_t now_ms);
  // Counts one attempt (call only for attempts that go ahead).
  void record(const std::string& key, std::int64_t now_ms);

  std::size_t tracked_keys() const { return attempts_.size(); }

 private:
  void forget_expired(std::deque<std::int64_t>& times, std::int64_t now_ms) const;
  void sweep(std::int64_t now_ms);

  AttemptLimits limits_;
  std::unordered_map<std::string, std::deque<std::int64_t>> attempts_;
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace harmonic::http
