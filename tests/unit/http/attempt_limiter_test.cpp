#include <catch2/catch.hpp>

#include "http/attempt_limiter.hpp"

using harmonic::http::AttemptLimits;
using harmonic::http::AttemptLimiter;

TEST_CASE("the limiter allows max_attempts per window and says when to retry", "[rate]") {
  AttemptLimiter limiter(AttemptLimits{3, 60'000});
  const std::int64_t t0 = 1'000'000;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(limiter.retry_after_ms("1.2.3.4", t0 + i * 1000) == 0);
    limiter.record("1.2.3.4", t0 + i * 1000);
  }
  CHECK(limiter.retry_after_ms("1.2.3.4", t0 + 3000) == 57'000);  // the first attempt leaves at t0 + 60 s
  CHECK(limiter.retry_after_ms("5.6.7.8", t0 + 3000) == 0);        // other keys are independent
  CHECK(limiter.retry_after_ms("1.2.3.4", t0 + 59'999) == 1);
  CHECK(limiter.retry_after_ms("1.2.3.4", t0 + 60'000) == 0);      // sliding: one slot free again
  limiter.record("1.2.3.4", t0 + 60'000);
  CHECK(limiter.retry_after_ms("1.2.3.4", t0 + 60'000) == 1000);
}

TEST_CASE("keys with only expired attempts are forgotten", "[rate]") {
  AttemptLimiter limiter(AttemptLimits{10, 60'000});
  for (int i = 0; i < 100; ++i) limiter.record("user" + std::to_string(i), 1000);
  CHECK(limiter.tracked_keys() == 100);
  limiter.record("late", 1000 + 120'000);
  CHECK(limiter.tracked_keys() == 1);
}

TEST_CASE("recent() counts a key's attempts in the window, and a key keeps no more than max_attempts", "[rate]") {
  AttemptLimiter limiter(AttemptLimits{4, 60'000});
  CHECK(limiter.recent("grace", 1000) == 0);
  for (int i = 0; i < 10; ++i) limiter.record("grace", 1000 + i);
  CHECK(limiter.recent("grace", 2000) == 4);  // capped: more would change no answer
  CHECK(limiter.recent("alan", 2000) == 0);
  CHECK(limiter.recent("grace", 1000 + 60'000 + 9) == 0);  // all aged out
}

TEST_CASE("the login slow-down is free for a few failures, then doubles up to its cap", "[rate]") {
  const harmonic::http::LoginSlowDown slow{3, 100, 1000, 60'000};
  CHECK(slow.delay_ms(0) == 0);
  CHECK(slow.delay_ms(3) == 0);
  CHECK(slow.delay_ms(4) == 100);
  CHECK(slow.delay_ms(5) == 200);
  CHECK(slow.delay_ms(6) == 400);
  CHECK(slow.delay_ms(7) == 800);
  CHECK(slow.delay_ms(8) == 1000);
  CHECK(slow.delay_ms(1'000'000) == 1000);
  CHECK(slow.failures_at_max_delay() == 8);
  CHECK(harmonic::http::LoginSlowDown{3, 0, 1000, 60'000}.failures_at_max_delay() == 4);  // never delays: terminates
}
