// Revocable tokens in the store (schema version 4): revoked token ids that are forgotten
// once their token has expired anyway, and the per-user token generation a password
// change bumps.
#include <catch2/catch.hpp>

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
