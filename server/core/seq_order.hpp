// A room's replica of its universe's history on one node of a cluster: durable changes
// (history entries, each with the seq the store gave it) arrive from this node's commits
// and from other nodes through Redis in whatever order, possibly twice, possibly not at
// all; they are released strictly in seq order, each once. What is missing holds back
// everything after it until it arrives or the caller fills the gap from the store
// (docs/operations.md, "Cluster mode").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "storage/store.hpp"

namespace harmonic::core {

class SeqOrder {
 public:
  // `applied_seq`: the last seq already part of the state the room was loaded with.
  explicit SeqOrder(std::int64_t applied_seq = 0) : applied_(applied_seq) {}

  // Takes entries in any order and returns those now releasable, in seq order: the next
  // seq and any held ones that follow it. Seqs at or below the last released are dropped
  // (a duplicate: this node's own change coming back from Redis, or a refilled gap).
  // `now_ms` dates a gap that opens, for gap_since().
  std::vector<storage::HistoryEntry> accept(std::vector<storage::HistoryEntry> entries, std::int64_t now_ms) {
    for (auto& entry : entries) {
      if (entry.seq > applied_) held_.emplace(entry.seq, std::move(entry));
    }
    std::vector<storage::HistoryEntry> ready;
    while (!held_.empty() && held_.begin()->first == applied_ + 1) {
      ready.push_back(std::move(held_.begin()->second));
      held_.erase(held_.begin());
      ++applied_;
    }
    if (held_.empty()) {
      gap_since_.reset();
    } else if (!gap_since_ || !ready.empty()) {
      gap_since_ = now_ms;  // a new gap (or one that moved on): its wait starts now
    }
    return ready;
  }

  std::int64_t applied_seq() const { return applied_; }
  // When the oldest still-missing seq was first waited for; nullopt when nothing waits.
  std::optional<std::int64_t> gap_since() const { return gap_since_; }
  std::size_t held() const { return held_.size(); }

 private:
  std::int64_t applied_;
  std::map<std::int64_t, storage::HistoryEntry> held_;
  std::optional<std::int64_t> gap_since_;
};

}  // namespace harmonic::core
