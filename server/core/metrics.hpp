// Counters for GET /metrics, in the Prometheus text format. Updated from the server's
// single I/O thread; reads for rendering happen on the same thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace harmonic::core {

class Metrics {
 public:
  void connection_opened() { ++connections_open_; ++connections_total_; }
  void connection_closed() { --connections_open_; }
  void set_rooms(std::int64_t rooms) { rooms_ = rooms; }
  void count_event_in(std::string_view name) { add(events_in_, name, 1); }
  void count_event_out(std::string_view name, std::uint64_t recipients = 1) { add(events_out_, name, recipients); }
  void count_error(std::string_view code) { ++errors_[std::string(code)]; }
  void count_http_request(int status) { ++http_requests_[status]; }
  // A connection refused or cut off by a cap or a deadline (reasons: docs/operations.md,
  // "Connection limits and backpressure").
  void count_connection_refused(std::string_view reason) { add(connections_refused_, reason, 1); }
  void observe_write_latency(double seconds);

  std::int64_t connections_open() const { return connections_open_; }
  std::uint64_t events_in(std::string_view name) const;
  std::uint64_t errors(std::string_view code) const;
  std::uint64_t connections_refused(std::string_view reason) const;

  std::string render_prometheus() const;

 private:
  using Counts = std::map<std::string, std::uint64_t, std::less<>>;
  // Looks the name up without building a std::string: this runs for every event in and out.
  static void add(Counts& counts, std::string_view name, std::uint64_t amount) {
    auto it = counts.find(name);
    if (it == counts.end()) it = counts.emplace(std::string(name), 0).first;
    it->second += amount;
  }

  static constexpr std::array<double, 10> latency_buckets_ = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                              0.025,  0.05,  0.1,    0.25,  1.0};
  std::int64_t connections_open_ = 0;
  std::uint64_t connections_total_ = 0;
  std::int64_t rooms_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> events_in_;
  std::map<std::string, std::uint64_t, std::less<>> events_out_;
  std::map<std::string, std::uint64_t, std::less<>> errors_;
  std::map<int, std::uint64_t> http_requests_;
  std::map<std::string, std::uint64_t, std::less<>> connections_refused_;
  std::array<std::uint64_t, latency_buckets_.size()> latency_counts_{};
  std::uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
};

}  // namespace harmonic::core
