// Retention: each universe keeps its newest history entries and chat messages, pruned a
// batch at a time in the write path, while parameters and seq numbers go on unharmed
// (issue 12, finding 8; docs/operations.md, "Retention").
#include <catch2/catch.hpp>

#include "store_backends.hpp"

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"

using namespace harmonic::storage;
using harmonic::test::TestDatabase;
using harmonic::test::default_parameters;

namespace {

Retention keeping(std::int64_t history, std::int64_t chat, std::int64_t every) { return {history, chat, every}; }

UniverseChange gravity_change(const std::string& universe, const std::string& user, int value) {
  UniverseChange change;
  change.universe_id = universe;
  change.timestamp = 1000 + value;
  change.parameter_sets["physics"] = {{"gravity", value}, {"friction", 0.5}};
  HistoryEntry entry;
  entry.user_id = user;
  entry.kind = "parameter";
  entry.category = "physics";
  entry.changes = {{"gravity", value}};
  change.history.push_back(entry);
  return change;
}

}  // namespace

TEST_CASE("history keeps the newest history_keep entries per universe, parameters stay whole") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open(keeping(10, 1000, 4));
  Store& store = *opened;
  const auto owner = *store.create_user("owner", "", "h", 1);
  const auto busy = store.create_universe(owner.id, "busy", "", false, 1, default_parameters(), 1);
  const auto quiet = store.create_universe(owner.id, "quiet", "", false, 1, default_parameters(), 1);
  for (int i = 1; i <= 101; ++i) store.commit(gravity_change(busy.id, owner.id, i));
  for (int i = 1; i <= 5; ++i) store.commit(gravity_change(quiet.id, owner.id, i));

  const auto kept = store.latest_history(busy.id, 1000);
  REQUIRE(kept.size() >= 10);
  CHECK(kept.size() < 10 + 4);  // pruned once per 4 entries: never more than keep + 4
  CHECK(kept.back().seq == 101);
  CHECK(kept.back().changes["gravity"] == 101);
  for (std::size_t i = 1; i < kept.size(); ++i) CHECK(kept[i].seq == kept[i - 1].seq + 1);  // no holes
  CHECK(store.load_parameters(busy.id)["physics"]["gravity"] == 101);  // what clients need is whole
  CHECK(store.latest_history(quiet.id, 1000).size() == 5);              // per universe

  // seq goes on from where it was, also for a new connection to the same data.
  CHECK(store.commit(gravity_change(busy.id, owner.id, 102)).front().seq == 102);
}

TEST_CASE("a long backlog drains a bounded batch per prune, not all in one write") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open(keeping(100000, 100000, 4));
  Store& store = *opened;
  const auto owner = *store.create_user("owner", "", "h", 1);
  const auto universe = store.create_universe(owner.id, "old", "", false, 1, default_parameters(), 1);
  for (int i = 1; i <= 60; ++i) store.commit(gravity_change(universe.id, owner.id, i));
  REQUIRE(store.latest_history(universe.id, 1000).size() == 60);

  TestDatabase other_database(database.backend());
  const auto other = other_database.open(keeping(10, 10, 4));
  Store& pruning = *other;  // the same rows, a server started with retention
  const auto owner2 = *pruning.create_user("owner", "", "h", 1);
  const auto universe2 = pruning.create_universe(owner2.id, "old", "", false, 1, default_parameters(), 1);
  // Entries committed in one change count as one write: 60 at once, then one more.
  UniverseChange many = gravity_change(universe2.id, owner2.id, 0);
  for (int i = 1; i < 60; ++i) many.history.push_back(many.history.front());
  pruning.commit(many);  // crosses a prune point: deletes at most 2 * 4 of the 50 old ones
  CHECK(pruning.latest_history(universe2.id, 1000).size() == 60 - 8);
  for (int i = 0; i < 40; ++i) pruning.commit(gravity_change(universe2.id, owner2.id, i));
  CHECK(pruning.latest_history(universe2.id, 1000).size() < 10 + 4);
}

TEST_CASE("chat keeps the newest chat_keep messages per universe") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open(keeping(1000, 7, 3));
  Store& store = *opened;
  const auto owner = *store.create_user("owner", "", "h", 1);
  const auto a = store.create_universe(owner.id, "a", "", false, 1, default_parameters(), 1);
  const auto b = store.create_universe(owner.id, "b", "", false, 1, default_parameters(), 1);
  for (int i = 0; i < 50; ++i) {
    store.add_message(a.id, owner.id, "a" + std::to_string(i), 100 + i);
    if (i % 10 == 0) store.add_message(b.id, owner.id, "b" + std::to_string(i), 100 + i);
  }
  const auto kept = store.latest_messages(a.id, 1000);
  REQUIRE(kept.size() >= 7);
  CHECK(kept.size() < 7 + 3);
  CHECK(kept.back().message == "a49");
  CHECK(kept.front().message == "a" + std::to_string(50 - kept.size()));  // the newest, in order
  CHECK(store.latest_messages(b.id, 1000).size() == 5);
}
