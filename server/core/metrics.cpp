#include "core/metrics.hpp"

#include <sstream>

namespace harmonic::core {
namespace {
// Label values come from event names that clients choose; keep them printable and short.
std::string label_value(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 64)) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;
    out += c;
  }
  return out;
}
}  // namespace

void Metrics::observe_write_latency(double seconds) {
  ++latency_count_;
  latency_sum_ += seconds;
  for (std::size_t i = 0; i < latency_buckets_.size(); ++i) {
    if (seconds <= latency_buckets_[i]) ++latency_counts_[i];
  }
}

std::uint64_t Metrics::events_in(std::string_view name) const {
  const auto it = events_in_.find(name);
  return it == events_in_.end() ? 0 : it->second;
}

std::uint64_t Metrics::errors(std::string_view code) const {
  const auto it = errors_.find(code);
  return it == errors_.end() ? 0 : it->second;
}

std::uint64_t Metrics::connections_refused(std::string_view reason) const {
  const auto it = connections_refused_.find(reason);
  return it == connections_refused_.end() ? 0 : it->second;
}

std::string Metrics::render_prometheus() const {
  std::ostringstream out;
  out << "# HELP harmonic_connections Open realtime connections.\n# TYPE harmonic_connections gauge\n"
      << "harmonic_connections " << connections_open_ << "\n";
  out << "# HELP harmonic_connections_total Realtime connections accepted since start.\n"
      << "# TYPE harmonic_connections_total counter\nharmonic_connections_total " << connections_total_ << "\n";
  out << "# HELP harmonic_rooms Universes with at least one connection.\n# TYPE harmonic_rooms gauge\n"
      << "harmonic_rooms " << rooms_ << "\n";
  out << "# HELP harmonic_events_in_total Events received, by name.\n# TYPE harmonic_events_in_total counter\n";
  for (const auto& [name, count] : events_in_) out << "harmonic_events_in_total{event=\"" << label_value(name) << "\"} " << count << "\n";
  out << "# HELP harmonic_events_out_total Events delivered (per recipient), by name.\n"
      << "# TYPE harmonic_events_out_total counter\n";
  for (const auto& [name, count] : events_out_) out << "harmonic_events_out_total{event=\"" << label_value(name) << "\"} " << count << "\n";
  out << "# HELP harmonic_errors_total Errors sent to clients, by code.\n# TYPE harmonic_errors_total counter\n";
  for (const auto& [code, count] : errors_) out << "harmonic_errors_total{code=\"" << label_value(code) << "\"} " << count << "\n";
  out << "# HELP harmonic_http_requests_total HTTP requests, by status.\n# TYPE harmonic_http_requests_total counter\n";
  for (const auto& [status, count] : http_requests_) out << "harmonic_http_requests_total{status=\"" << status << "\"} " << count << "\n";
  out << "# HELP harmonic_connections_refused_total Connections refused or cut off by a cap or a deadline, by reason.\n"
      << "# TYPE harmonic_connections_refused_total counter\n";
  for (const auto& [reason, count] : connections_refused_) {
    out << "harmonic_connections_refused_total{reason=\"" << label_value(reason) << "\"} " << count << "\n";
  }
  out << "# HELP harmonic_write_latency_seconds Time to commit one group of changes (all those of one event-loop turn) to storage.\n"
      << "# TYPE harmonic_write_latency_seconds histogram\n";
  for (std::size_t i = 0; i < latency_buckets_.size(); ++i) {
    out << "harmonic_write_latency_seconds_bucket{le=\"" << latency_buckets_[i] << "\"} " << latency_counts_[i] << "\n";
  }
  out << "harmonic_write_latency_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n"
      << "harmonic_write_latency_seconds_sum " << latency_sum_ << "\n"
      << "harmonic_write_latency_seconds_count " << latency_count_ << "\n";
  return out.str();
}

}  // namespace harmonic::core
