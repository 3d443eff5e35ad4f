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
