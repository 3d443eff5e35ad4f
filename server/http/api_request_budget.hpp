// The per-account budget of authenticated API requests (docs/operations.md, "API request
// budget"): a rate per second, counted over a sliding window so that paging through a
// long list may come at once. request_auth.cpp spends it; the server's --api-rate-limit
// sets the rate.
#pragma once

#include <cstdint>

namespace harmonic::http {

inline constexpr int default_api_requests_per_second = 50;
inline constexpr std::int64_t api_request_window_ms = 10'000;

}  // namespace harmonic::http
