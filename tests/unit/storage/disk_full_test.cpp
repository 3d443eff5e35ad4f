// A full disk (simulated with PRAGMA max_page_count): writes fail with an out-of-space
// StorageError and change nothing, reads keep working, out_of_space() says so until a
// write commits again (issue 12, finding 8; docs/operations.md, "Disk full").
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;

namespace {

// Commits big parameter sets until the capped file is full; returns the error.
StorageError fill(SqliteStore& store, const Universe& universe, const User& user) {
  for (int i = 0; i < 10000; ++i) {
    UniverseChange change;
    change.universe_id = universe.id;
    change.timestamp = 2000 + i;
    change.parameter_sets["music"] = {{"tempo", i}, {"padding", std::string(3000, 'x')}};
    HistoryEntry entry;
    entry.user_id = user.id;
    entry.kind = "parameter";
    entry.category = "music";
    entry.changes = {{"padding", std::string(3000, 'y')}};
    change.history.push_back(entry);
    try {
      store.commit(change);
    } catch (const StorageError& error) {
      return error;
    }
  }
  FAIL("the capped database never filled up");
  return StorageError("unreachable");
}

}  // namespace

TEST_CASE("a full disk fails writes as out_of_space while reads go on, and recovers") {
  harmonic::test::TempDir dir;
  SqliteStore store((dir.path() / "full.sqlite3").string());
  const auto owner = *store.create_user("owner", "", "h", 1);
  const auto universe = store.create_universe(owner.id, "U", "", true, 1, default_parameters(), 1);
  CHECK_FALSE(store.out_of_space());
  const auto used = store.pragma_value("page_count");
  store.limit_pages(used + 8);

  const auto error = fill(store, universe, owner);
  CHECK(error.out_of_space());
  CHECK(store.out_of_space());
  const auto stored_tempo = store.load_parameters(universe.id)["music"]["tempo"];

  SECTION("further writes fail the same way and change nothing; reads answer") {
    CHECK_THROWS_MATCHES(store.add_message(universe.id, owner.id, std::string(20000, 'z'), 5000), StorageError,
                         Catch::Predicate<StorageError>([](const StorageError& e) { return e.out_of_space(); }));
    CHECK(store.latest_messages(universe.id, 10).empty());
    CHECK(store.find_universe(universe.id)->name == "U");
    CHECK(store.load_parameters(universe.id)["music"]["tempo"] == stored_tempo);
    CHECK_FALSE(store.latest_history(universe.id, 5).empty());
    CHECK(store.out_of_space());
  }
  SECTION("inside a group commit batch too") {
    store.begin_batch();
    CHECK(fill(store, universe, owner).out_of_space());
    CHECK(store.out_of_space());
    store.rollback_batch();
    CHECK_FALSE(store.batch_open());
  }
  SECTION("once there is room again, the next write commits and clears the state") {
    store.limit_pages(used + 10000);
    store.add_message(universe.id, owner.id, "we have room", 6000);
    CHECK_FALSE(store.out_of_space());
    CHECK(store.latest_messages(universe.id, 1).front().message == "we have room");
  }
}

TEST_CASE("errors that are not about space do not mark the store out of space") {
  SqliteStore store(":memory:");
  const auto owner = *store.create_user("owner", "", "h", 1);
  CHECK_FALSE(store.create_user("OWNER", "", "h", 1));  // a UNIQUE violation
  CHECK_THROWS_AS(store.add_message("12345", owner.id, "nowhere", 1), UniverseNotFound);
  CHECK_FALSE(store.out_of_space());
}
