// Group commit at the storage level: a batch is one transaction, each change inside it is
// still all-or-nothing, and nothing of a batch is durable (or visible to another
// connection) before commit_batch() returns.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;
using harmonic::test::StoreWithUsers;
using harmonic::test::TempDir;

namespace {

UniverseChange gravity_change(const std::string& universe_id, const std::string& user_id, double gravity,
                              std::int64_t now) {
  UniverseChange change;
  change.universe_id = universe_id;
  change.timestamp = now;
  change.parameter_sets["physics"] = {{"gravity", gravity}};
  change.history.push_back({0, now, user_id, "parameter", "physics", {{"gravity", gravity}}});
  return change;
}

// Counts history rows through a connection of its own, as another process would see them.
std::int64_t history_rows_seen_elsewhere(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* query = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM history", -1, &query, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(query) == SQLITE_ROW);
  const auto rows = sqlite3_column_int64(query, 0);
  sqlite3_finalize(query);
  sqlite3_close(db);
  return rows;
}

}  // namespace

TEST_CASE("a batch becomes durable and visible elsewhere only at commit_batch") {
  TempDir dir;
  const auto path = database_file_in(dir.path()).string();
  std::string universe_id;
  {
    SqliteStore store(path);
    const auto user = *store.create_user("batcher", "", "hash", 1);
    universe_id = store.create_universe(user.id, "Batch", "", false, 1, default_parameters(), 2).id;

    store.begin_batch();
    CHECK(store.batch_open());
    const auto first = store.commit(gravity_change(universe_id, user.id, 1.0, 10));
    const auto second = store.commit(gravity_change(universe_id, user.id, 2.0, 11));
    CHECK(first.at(0).seq == 1);
    CHECK(second.at(0).seq == 2);  // seq counts on inside the batch
    CHECK(store.load_parameters(universe_id)["physics"]["gravity"] == 2.0);  // read your own writes
    CHECK(history_rows_seen_elsewhere(path) == 0);

    store.commit_batch();
    CHECK_FALSE(store.batch_open());
    CHECK(history_rows_seen_elsewhere(path) == 2);
  }
  SqliteStore reopened(path);
  CHECK(reopened.latest_history(universe_id, 10).size() == 2);
  CHECK(reopened.load_parameters(universe_id)["physics"]["gravity"] == 2.0);
}

TEST_CASE("rollback_batch forgets the whole batch") {
  StoreWithUsers fixture(EACH_STORE());
  const auto universe = fixture.make_universe();
  fixture.store.begin_batch();
  fixture.store.commit(gravity_change(universe.id, fixture.owner.id, 3.0, 2000));
  fixture.store.add_message(universe.id, fixture.owner.id, "gone soon", 2001);
  fixture.store.rollback_batch();

  CHECK_FALSE(fixture.store.batch_open());
  CHECK(fixture.store.latest_history(universe.id, 10).empty());
  CHECK(fixture.store.latest_messages(universe.id, 10).empty());
  CHECK(fixture.store.load_parameters(universe.id) == default_parameters());
}

TEST_CASE("a change that fails inside a batch undoes only itself") {
  StoreWithUsers fixture(EACH_STORE());
  const auto universe = fixture.make_universe();
  fixture.store.begin_batch();
  fixture.store.commit(gravity_change(universe.id, fixture.owner.id, 4.0, 2000));

  // The universe row is updated first, then the history insert fails on a user that does
  // not exist: the savepoint must take the half-applied change back out.
  auto broken = gravity_change(universe.id, "999999", 5.0, 2001);
  broken.name = "Half applied";
  CHECK_THROWS_AS(fixture.store.commit(broken), StorageError);
  CHECK_THROWS_AS(fixture.store.commit(gravity_change("424242", fixture.owner.id, 6.0, 2002)), UniverseNotFound);
  CHECK(fixture.store.batch_open());

  fixture.store.commit(gravity_change(universe.id, fixture.owner.id, 7.0, 2003));
  fixture.store.commit_batch();

  const auto history = fixture.store.latest_history(universe.id, 10);
  REQUIRE(history.size() == 2);
  CHECK(history[0].changes["gravity"] == 4.0);
  CHECK(history[1].changes["gravity"] == 7.0);
  CHECK(history[1].seq == 2);  // no gap left by the failed change
  CHECK(fixture.store.find_universe(universe.id)->name == "Nebula");
  CHECK(fixture.store.load_parameters(universe.id)["physics"]["gravity"] == 7.0);
}

TEST_CASE("batches do not nest") {
  StoreWithUsers fixture(EACH_STORE());
  fixture.store.begin_batch();
  CHECK_THROWS_AS(fixture.store.begin_batch(), StorageError);
  fixture.store.rollback_batch();
  CHECK_NOTHROW(fixture.store.begin_batch());
  fixture.store.commit_batch();
  CHECK_THROWS_AS(fixture.store.commit_batch(), StorageError);  // nothing open to commit
}

TEST_CASE("after a rolled-back batch, history seq continues from what is stored") {
  StoreWithUsers fixture(EACH_STORE());
  const auto universe = fixture.make_universe();
  CHECK(fixture.store.commit(gravity_change(universe.id, fixture.owner.id, 1.0, 1000)).at(0).seq == 1);
  fixture.store.begin_batch();
  CHECK(fixture.store.commit(gravity_change(universe.id, fixture.owner.id, 2.0, 1001)).at(0).seq == 2);
  CHECK(fixture.store.commit(gravity_change(universe.id, fixture.owner.id, 3.0, 1002)).at(0).seq == 3);
  fixture.store.rollback_batch();

  CHECK(fixture.store.commit(gravity_change(universe.id, fixture.owner.id, 4.0, 1003)).at(0).seq == 2);
  const auto history = fixture.store.latest_history(universe.id, 10);
  REQUIRE(history.size() == 2);
  CHECK(history[1].seq == 2);
  CHECK(history[1].changes["gravity"] == 4.0);
}

TEST_CASE("another connection sees nothing of a batch before commit_batch, and all of it after") {
  harmonic::test::TestDatabase database(EACH_STORE());
  const auto writer = database.open();
  const auto reader = database.open();  // another process, or another node
  const auto user = *writer->create_user("batcher", "", "hash", 1);
  const auto universe_id = writer->create_universe(user.id, "Batch", "", false, 1, default_parameters(), 2).id;

  writer->begin_batch();
  writer->commit(gravity_change(universe_id, user.id, 1.0, 10));
  writer->add_message(universe_id, user.id, "in the batch", 11);
  CHECK(writer->latest_history(universe_id, 10).size() == 1);  // read your own writes
  CHECK(reader->latest_history(universe_id, 10).empty());
  CHECK(reader->latest_messages(universe_id, 10).empty());
  CHECK(reader->load_parameters(universe_id) == default_parameters());

  writer->commit_batch();
  CHECK(reader->latest_history(universe_id, 10).size() == 1);
  CHECK(reader->latest_messages(universe_id, 10).size() == 1);
  CHECK(reader->load_parameters(universe_id)["physics"]["gravity"] == 1.0);
}
