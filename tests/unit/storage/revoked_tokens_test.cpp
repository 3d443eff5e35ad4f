// Revocable tokens in the store (schema version 4): revoked token ids that are forgotten
// once their token has expired anyway, and the per-user token generation a password
// change bumps; and both read for many tokens and users at once (a cluster node
// re-checking its sockets after a Redis outage: docs/cluster.md, "When Redis is away").
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>

#include "store_backends.hpp"

#include "storage/migrations.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::TestDatabase;
using harmonic::test::TempDir;

TEST_CASE("a revoked token id is remembered until its token would have expired") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  CHECK_FALSE(store.is_token_revoked("a"));
  store.revoke_token("a", /*expires_at=*/5000, /*now=*/1000);
  CHECK(store.is_token_revoked("a"));
  CHECK_FALSE(store.is_token_revoked("b"));
  store.revoke_token("a", 5000, 1500);  // revoking twice is harmless
  CHECK(store.is_token_revoked("a"));

  SECTION("a later revocation forgets the ones whose token has expired") {
    store.revoke_token("b", 90'000, 5000);
    CHECK_FALSE(store.is_token_revoked("a"));
    CHECK(store.is_token_revoked("b"));
  }
  SECTION("a token that has already expired needs no row") {
    store.revoke_token("c", 900, 1000);
    CHECK_FALSE(store.is_token_revoked("c"));
    CHECK(store.is_token_revoked("a"));
  }
}

TEST_CASE("revoked_among answers, in one query, which of many token ids are revoked") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  CHECK(store.revoked_among({}).empty());
  store.revoke_token("a", 5000, 1000);
  store.revoke_token("c", 5000, 1000);
  CHECK(store.revoked_among({"a", "b", "c", "d"}) == std::set<std::string>{"a", "c"});
  CHECK(store.revoked_among({"b", "d"}).empty());
  // Ids no token could carry are simply not revoked, not an error.
  CHECK(store.revoked_among({"", std::string("x\0y", 3), "\xff", "a"}) == std::set<std::string>{"a"});
}

TEST_CASE("token_generations reads many users' generations in one query, leaving out users that do not exist") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  const auto ada = *store.create_user("ada", "", "h", 1);
  const auto bob = *store.create_user("bob", "", "h", 1);
  store.change_password(bob.id, "h2");
  store.change_password(bob.id, "h3");
  CHECK(store.token_generations({}).empty());
  const auto generations = store.token_generations({ada.id, bob.id, "999", "not-an-id", "012"});
  CHECK(generations == std::map<std::string, std::int64_t>{{ada.id, 0}, {bob.id, 2}});
}

TEST_CASE("a password change sets the hash and bumps the token generation") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  const auto ada = *store.create_user("ada", "", "old-hash", 1);
  CHECK(ada.token_generation == 0);
  const auto changed = store.change_password(ada.id, "new-hash");
  REQUIRE(changed);
  CHECK(changed->password_hash == "new-hash");
  CHECK(changed->token_generation == 1);
  CHECK(store.find_user(ada.id)->token_generation == 1);
  CHECK(store.find_user_by_name("ADA")->password_hash == "new-hash");
  CHECK(store.change_password(ada.id, "newer")->token_generation == 2);
  CHECK_FALSE(store.change_password("999", "x"));
  CHECK_FALSE(store.change_password("not-an-id", "x"));
}

TEST_CASE("schema version 4 adds revocation to a version 3 file, keeping its users at generation 0") {
  TempDir dir;
  const auto path = database_file_in(dir.path()).string();
  {
    sqlite::Database db(path);
    const auto& all = schema_migrations();
    migrate(db, std::span(all.data(), 3));
    db.exec("INSERT INTO users (username, password_hash, created_at) VALUES ('ada', 'h', 1)");
  }
  SqliteStore store(path);
  CHECK(store.schema_version() >= 4);
  const auto ada = store.find_user_by_name("ada");
  REQUIRE(ada);
  CHECK(ada->token_generation == 0);
  store.revoke_token("t", 10, 1);
  CHECK(store.is_token_revoked("t"));
}
