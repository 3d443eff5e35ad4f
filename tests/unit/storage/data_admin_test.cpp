// DataAdmin (`harmonic-server admin`, docs/operations.md "Admin commands") and the backup
// files (sqlite_backup.hpp): each change is whole or absent, and bad input changes nothing.
#include <catch2/catch.hpp>

#include <fstream>

#include "fixtures.hpp"
#include "storage/data_admin.hpp"
#include "storage/sqlite_backup.hpp"
#include "storage/sqlite_handle.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;
using harmonic::test::TempDir;

namespace {

struct Accounts {
  std::string alice;
  std::string bob;
  std::string owned;   // alice's universe, bob collaborates on it
  std::string shared;  // bob's universe, alice collaborates and wrote history and chat in it
};

Accounts make_accounts(const TempDir& dir) {
  SqliteStore store(database_file_in(dir.path()).string());
  Accounts a;
  a.alice = store.create_user("alice", "", "hash-a", 1)->id;
  a.bob = store.create_user("bob", "", "hash-b", 1)->id;
  a.owned = store.create_universe(a.alice, "Owned", "", false, 1, default_parameters(), 2).id;
  a.shared = store.create_universe(a.bob, "Shared", "", false, 2, default_parameters(), 2).id;
  store.add_collaborator(a.owned, a.bob);
  store.add_collaborator(a.shared, a.alice);
  store.add_message(a.shared, a.alice, "hello", 3);
  return a;
}

}  // namespace

TEST_CASE("admin needs an existing database and never creates one") {
  TempDir dir;
  CHECK_THROWS_AS(DataAdmin(dir.path()), AdminError);
  CHECK_FALSE(std::filesystem::exists(database_file_in(dir.path())));
}

TEST_CASE("deleting a user transfers their universes to another, as one change") {
  TempDir dir;
  const auto a = make_accounts(dir);
  DataAdmin admin(dir.path());

  SECTION("an unknown heir or the same user changes nothing") {
    CHECK_THROWS_AS(admin.delete_user("alice", std::string("nobody")), AdminError);
    CHECK_THROWS_AS(admin.delete_user("alice", std::string("ALICE")), AdminError);
    CHECK_THROWS_AS(admin.delete_user("nobody", std::nullopt), AdminError);
    SqliteStore store(database_file_in(dir.path()).string());
    CHECK(store.find_user(a.alice));
    CHECK(store.find_universe(a.owned)->owner_id == a.alice);
    CHECK(store.role_of(a.owned, a.bob) == Role::collaborator);
  }
  SECTION("transfer: the heir owns them and is no longer their collaborator") {
    const auto done = admin.delete_user("Alice", std::string("bob"));
    CHECK(done.universes_transferred == 1);
    CHECK(done.universes_deleted == 0);
    SqliteStore store(database_file_in(dir.path()).string());
    CHECK_FALSE(store.find_user(a.alice));
    CHECK(store.find_universe(a.owned)->owner_id == a.bob);
    CHECK(store.role_of(a.owned, a.bob) == Role::owner);
    CHECK(store.list_collaborators(a.owned).empty());
    CHECK(store.list_collaborators(a.shared).empty());            // alice's collaboration went with her
    CHECK(store.latest_messages(a.shared, 10).empty());           // and her chat
  }
  SECTION("delete: their universes go with them") {
    const auto done = admin.delete_user("alice", std::nullopt);
    CHECK(done.universes_deleted == 1);
    SqliteStore store(database_file_in(dir.path()).string());
    CHECK_FALSE(store.find_universe(a.owned));
    CHECK(store.find_universe(a.shared));
  }
}

TEST_CASE("resetting a password bumps the token generation, and deleting a universe checks the id") {
  TempDir dir;
  const auto a = make_accounts(dir);
  DataAdmin admin(dir.path());
  CHECK_THROWS_AS(admin.reset_password("nobody", "x"), AdminError);
  admin.reset_password("BOB", "new-hash");
  {
    SqliteStore store(database_file_in(dir.path()).string());
    const auto bob = store.find_user(a.bob);
    CHECK(bob->password_hash == "new-hash");
    CHECK(bob->token_generation == 1);
  }
  for (const char* bad : {"", "abc", "-3", "0", "12x", "999999"}) {
    CHECK_THROWS_AS(admin.delete_universe(bad), AdminError);
  }
  CHECK(admin.list_universes().size() == 2);
  admin.delete_universe(a.owned);
  const auto left = admin.list_universes();
  REQUIRE(left.size() == 1);
  CHECK(left[0].id == a.shared);
  CHECK(left[0].owner == "bob");
  const auto users = admin.list_users();
  REQUIRE(users.size() == 2);
  CHECK(users[0].username == "alice");
  CHECK(users[0].universes_owned == 0);
  CHECK(users[1].universes_owned == 1);
}

TEST_CASE("a backup is checked, never overwrites, and restores with the old file kept") {
  TempDir dir;
  make_accounts(dir);
  const auto database = database_file_in(dir.path());
  const auto copy = dir.path() / "copy.sqlite3";
  backup_database(database, copy);
  CHECK((std::filesystem::status(copy).permissions() & std::filesystem::perms::mask) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  const auto summary = check_backup(copy);
  CHECK(summary.users == 2);
  CHECK(summary.universes == 2);
  CHECK_THROWS_AS(backup_database(database, copy), StorageError);
  CHECK_THROWS_AS(backup_database(dir.path() / "missing.sqlite3", dir.path() / "other.sqlite3"), StorageError);

  const auto junk = dir.path() / "junk.sqlite3";
  std::ofstream(junk) << "not a database";
  CHECK_THROWS_AS(check_backup(junk), StorageError);
  {
    // A sound SQLite file with a known schema version, but someone else's tables.
    sqlite::Database foreign((dir.path() / "foreign.sqlite3").string());
    foreign.exec("CREATE TABLE notes (text TEXT); PRAGMA user_version = 1");
  }
  CHECK_THROWS_WITH(check_backup(dir.path() / "foreign.sqlite3"), Catch::Contains("not a Harmonic Universe database"));

  DataAdmin(dir.path()).delete_user("alice", std::nullopt);
  restore_database(copy, database);
  CHECK(DataAdmin(dir.path()).list_users().size() == 2);
  CHECK(std::filesystem::exists(dir.path() / "harmonic.sqlite3.before-restore"));
}
