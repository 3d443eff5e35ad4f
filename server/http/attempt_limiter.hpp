// At most `max_attempts` attempts per key within a sliding window (default 10 per
// minute). RestApi uses it for:
//   - logins (and password changes) per remote address, and per (username, address):
//     both refuse with 429, but only the address that made the attempts. Failures from
//     one address never lock the account's owner out from another address;
//   - failed logins per username (lower-cased), across addresses, only counted: they feed
//     LoginSlowDown below, which delays answers for that username, never refuses them, so
//     guessing one password from many addresses gets slow without handing an attacker a
//     way to lock someone out;
//   - registrations per remote address, because each one costs an argon2 hash (~0.1 s
//     of CPU) and a row, so a script cannot make either unbounded.
// docs/operations.md ("Accounts, tokens and login limits") describes the numbers.
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
  // Counts one attempt (call only for attempts that go ahead). A key keeps at most
  // max_attempts times: more would change no answer, and a key written from many
  // addresses must not grow without bound.
  void record(const std::string& key, std::int64_t now_ms);
  // Attempts of `key` within the window, at most max_attempts.
  int recent(const std::string& key, std::int64_t now_ms);

  std::size_t tracked_keys() const { return attempts_.size(); }

 private:
  void forget_expired(std::deque<std::int64_t>& times, std::int64_t now_ms) const;
  void sweep(std::int64_t now_ms);

  AttemptLimits limits_;
  std::unordered_map<std::string, std::deque<std::int64_t>> attempts_;
  std::int64_t last_sweep_ms_ = 0;
};

// How long to hold back the answer to a login for a username with `failures` recent
// failed logins: nothing up to free_failures (typos), then first_delay_ms doubling with
// each further failure up to max_delay_ms. The owner still gets in, a little later.
struct LoginSlowDown {
  int free_failures = 5;
  std::int64_t first_delay_ms = 250;
  std::int64_t max_delay_ms = 3000;
  std::int64_t window_ms = 15 * 60'000;  // how long a failure counts

  std::int64_t delay_ms(int failures) const;
  // The failures after which the delay stops growing: what a limiter must remember.
  int failures_at_max_delay() const;
};

}  // namespace harmonic::http
