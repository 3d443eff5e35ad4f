// SeqOrder: a cluster node's room releases durable changes strictly in seq order, each
// once, however they arrive (docs/operations.md, "Cluster mode").
#include <catch2/catch.hpp>

#include <vector>

#include "core/seq_order.hpp"

using harmonic::core::SeqOrder;
using harmonic::storage::HistoryEntry;

namespace {

std::vector<HistoryEntry> entries(std::vector<std::int64_t> seqs) {
  std::vector<HistoryEntry> result;
  for (const auto seq : seqs) result.push_back({seq, 0, "1", "parameter", "physics", {{"gravity", seq}}});
  return result;
}

std::vector<std::int64_t> seqs_of(const std::vector<HistoryEntry>& released) {
  std::vector<std::int64_t> result;
  for (const auto& entry : released) result.push_back(entry.seq);
  return result;
}

}  // namespace

TEST_CASE("seq order: consecutive entries are released at once") {
  SeqOrder order(4);
  CHECK(seqs_of(order.accept(entries({5, 6}), 0)) == std::vector<std::int64_t>{5, 6});
  CHECK(order.applied_seq() == 6);
  CHECK_FALSE(order.gap_since());
}

TEST_CASE("seq order: a later entry waits for the missing one, then both go in order") {
  SeqOrder order(0);
  CHECK(order.accept(entries({2}), 100).empty());
  CHECK(order.gap_since() == 100);
  CHECK(order.held() == 1);
  CHECK(seqs_of(order.accept(entries({1}), 150)) == std::vector<std::int64_t>{1, 2});
  CHECK_FALSE(order.gap_since());
}

TEST_CASE("seq order: duplicates and entries already in the loaded state are dropped") {
  SeqOrder order(3);
  CHECK(order.accept(entries({2, 3}), 0).empty());
  CHECK(seqs_of(order.accept(entries({4, 4}), 0)) == std::vector<std::int64_t>{4});
  CHECK(order.accept(entries({4}), 0).empty());
  CHECK(order.held() == 0);
}

TEST_CASE("seq order: a gap that moves on restarts its wait") {
  SeqOrder order(0);
  order.accept(entries({2, 4}), 10);
  CHECK(order.gap_since() == 10);
  CHECK(seqs_of(order.accept(entries({1}), 50)) == std::vector<std::int64_t>{1, 2});
  CHECK(order.gap_since() == 50);  // now 3 is missing, waited for since 50
  CHECK(seqs_of(order.accept(entries({3}), 60)) == std::vector<std::int64_t>{3, 4});
}
