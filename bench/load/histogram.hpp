// Latency histogram with about 0.8% resolution (the top 8 bits of each value are kept),
// from 1 µs to hours, in a fixed 32 KB array: recording is one increment.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace harmonic::bench {

class LatencyHistogram {
 public:
  void record(std::int64_t micros) {
    const auto value = static_cast<std::uint64_t>(micros < 0 ? 0 : micros);
    ++counts_[index_of(value)];
    ++total_;
    if (value > max_) max_ = value;
  }
  void merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    if (other.max_ > max_) max_ = other.max_;
  }
  std::uint64_t count() const { return total_; }
  std::uint64_t max() const { return max_; }
  // The smallest recorded bucket bound at or above the q-quantile (q in [0, 1]).
  std::uint64_t quantile(double q) const {
    if (total_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total_));
    if (rank >= total_) rank = total_ - 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen > rank) {
        const auto bound = upper_bound_of(i);
        return bound < max_ ? bound : max_;
      }
    }
    return max_;
  }

 private:
  static constexpr std::size_t buckets = 4096;
  static std::size_t index_of(std::uint64_t v) {
    if (v < 256) return v;
    const int shift = static_cast<int>(std::bit_width(v)) - 8;  // keeps values 128..255 after the shift
    const std::size_t i = 256 + static_cast<std::size_t>(shift - 1) * 128 + ((v >> shift) - 128);
    return i < buckets ? i : buckets - 1;
  }
  static std::uint64_t upper_bound_of(std::size_t i) {
    if (i < 256) return i;
    const std::size_t shift = (i - 256) / 128 + 1;
    const std::uint64_t top = (i - 256) % 128 + 128;
    return ((top + 1) << shift) - 1;
  }
  std::array<std::uint64_t, buckets> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace harmonic::bench
