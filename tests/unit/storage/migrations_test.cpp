// The schema: created from nothing, upgraded from an older version, refused when newer,
// and each step applied all-or-nothing.
#include <catch2/catch.hpp>

#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::TempDir;

namespace {

bool table_exists(sqlite::Database& db, const std::string& name) {
  return db.query_int("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'") == 1;
}

bool index_exists(sqlite::Database& db, const std::string& name) {
  return db.query_int("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '" + name + "'") == 1;
}

// What an older build, knowing only the first `version` steps, would have left behind:
// that schema, and one user.
void leave_older_database(const std::string& path, std::size_t version) {
  sqlite::Database db(path);
  const auto& all = schema_migrations();
  migrate(db, std::span(all.data(), version));
  db.exec("INSERT INTO users (username, password_hash, created_at) VALUES ('ada', 'h', 1)");
}

}  // namespace

TEST_CASE("an empty database is migrated to the latest schema") {
  SqliteStore store(":memory:");
  CHECK(store.schema_version() == latest_schema_version());
  CHECK(latest_schema_version() >= 2);
}

TEST_CASE("a new file gets every table, WAL mode and the latest version") {
  TempDir dir;
  const auto path = database_file_in(dir.path()).string();
  { SqliteStore store(path); }
  sqlite::Database db(path);
  CHECK(schema_version(db) == latest_schema_version());
  for (const char* table :
       {"users", "universes", "collaborators", "universe_parameters", "history", "messages", "settings"}) {
    INFO(table);
    CHECK(table_exists(db, table));
  }
  CHECK(db.query_text("PRAGMA journal_mode") == "wal");  // WAL is persistent in the file
}

TEST_CASE("migration steps run in order and only once") {
  const std::vector<Migration> steps = {
      {1, "one", "CREATE TABLE a (x INTEGER)"},
      {2, "two", "INSERT INTO a VALUES (42)"},
  };
  sqlite::Database db(":memory:");
  migrate(db, steps);
  migrate(db, steps);  // a second run must not insert again
  CHECK(schema_version(db) == 2);
  CHECK(db.query_int("SELECT count(*) FROM a") == 1);
}

TEST_CASE("a failing step is rolled back with its version bump and earlier steps stay") {
  const std::vector<Migration> steps = {
      {1, "good", "CREATE TABLE a (x INTEGER)"},
      {2, "bad half-way", "CREATE TABLE b (y INTEGER); INSERT INTO no_such_table VALUES (1)"},
  };
  sqlite::Database db(":memory:");
  REQUIRE_THROWS_AS(migrate(db, steps), StorageError);
  CHECK(schema_version(db) == 1);
  CHECK(table_exists(db, "a"));
  CHECK_FALSE(table_exists(db, "b"));
}

TEST_CASE("an older database file is upgraded and keeps its data") {
  TempDir dir;
  const auto path = dir.file("old.sqlite3");
  leave_older_database(path, 1);
  {
    sqlite::Database db(path);
    REQUIRE(schema_version(db) == 1);
    REQUIRE_FALSE(index_exists(db, "history_by_time"));
  }
  {
    SqliteStore store(path);
    CHECK(store.schema_version() == latest_schema_version());
    auto ada = store.find_user_by_name("ada");
    REQUIRE(ada);
    CHECK(ada->created_at == 1);
  }
  sqlite::Database db(path);
  CHECK(index_exists(db, "history_by_time"));
}

TEST_CASE("version 3 keys history by universe and seq, keeping every row") {
  TempDir dir;
  const auto path = dir.file("v2.sqlite3");
  leave_older_database(path, 2);
  {
    sqlite::Database db(path);
    db.exec("INSERT INTO universes (owner_id, name, seed, created_at, updated_at) VALUES (1, 'U', 7, 1, 1)");
    db.exec("INSERT INTO history (universe_id, seq, timestamp, user_id, kind, category, changes_json) VALUES"
            " (1, 1, 10, 1, 'parameter', 'physics', '{\"gravity\":1}'),"
            " (1, 2, 20, 1, 'parameter', 'physics', '{\"gravity\":2}')");
    REQUIRE(schema_version(db) == 2);
  }
  {
    SqliteStore store(path);
    REQUIRE(store.schema_version() >= 3);
    const auto history = store.latest_history("1", 10);
    REQUIRE(history.size() == 2);
    CHECK(history[0].seq == 1);
    CHECK(history[1].changes["gravity"] == 2);
    harmonic::storage::UniverseChange change;
    change.universe_id = "1";
    change.timestamp = 30;
    change.history.push_back({0, 30, "1", "parameter", "physics", {{"gravity", 3}}});
    CHECK(store.commit(change).at(0).seq == 3);  // seq continues from the copied rows
  }
  sqlite::Database db(path);
  CHECK_THAT(db.query_text("SELECT sql FROM sqlite_master WHERE name = 'history'").value_or(""), Catch::Contains("WITHOUT ROWID"));
  CHECK(index_exists(db, "history_by_time"));
  CHECK_FALSE(index_exists(db, "history_by_user"));
  CHECK(db.query_int("SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

TEST_CASE("a database from a newer server is refused with a clear message") {
  TempDir dir;
  const auto path = dir.file("future.sqlite3");
  {
    SqliteStore store(path);
    store.put_setting("k", "v");
  }
  {
    sqlite::Database db(path);
    db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
  }
  try {
    SqliteStore store(path);
    FAIL("opening a newer schema should throw");
  } catch (const StorageError& error) {
    const std::string message = error.what();
    CHECK_THAT(message, Catch::Contains("newer"));
    CHECK_THAT(message, Catch::Contains(std::to_string(latest_schema_version() + 1)));
  }
  // And the refusal did not touch the file.
  sqlite::Database db(path);
  CHECK(schema_version(db) == latest_schema_version() + 1);
}

TEST_CASE("a file that is not a database is refused") {
  TempDir dir;
  const auto path = dir.file("garbage.sqlite3");
  {
    std::FILE* file = std::fopen(path.c_str(), "wb");
    REQUIRE(file);
    const std::string junk(4096, 'x');
    std::fwrite(junk.data(), 1, junk.size(), file);
    std::fclose(file);
  }
  CHECK_THROWS_AS(SqliteStore(path), StorageError);
}

TEST_CASE("opening in a missing directory fails with a StorageError") {
  TempDir dir;
  CHECK_THROWS_AS(SqliteStore(dir.file("no/such/dir/db.sqlite3")), StorageError);
}
