#include <catch2/catch.hpp>

#include "store_backends.hpp"

#include "storage/sqlite_store.hpp"

using namespace harmonic::storage;
using harmonic::test::TestDatabase;

TEST_CASE("a created user can be found by id and by name") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  auto created = store.create_user("Ada_Lovelace", "ada@example.com", "$argon2id$...", 1234);
  REQUIRE(created);
  CHECK_FALSE(created->id.empty());
  CHECK(created->username == "Ada_Lovelace");

  auto by_id = store.find_user(created->id);
  REQUIRE(by_id);
  CHECK(by_id->username == "Ada_Lovelace");
  CHECK(by_id->email == "ada@example.com");
  CHECK(by_id->password_hash == "$argon2id$...");
  CHECK(by_id->created_at == 1234);

  auto by_name = store.find_user_by_name("Ada_Lovelace");
  REQUIRE(by_name);
  CHECK(by_name->id == created->id);
}

TEST_CASE("usernames are unique without regard to case") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  REQUIRE(store.create_user("Grace", "", "h", 1));
  CHECK_FALSE(store.create_user("grace", "", "h", 2));
  CHECK_FALSE(store.create_user("GRACE", "", "h", 3));
  CHECK(store.create_user("Grace2", "", "h", 4));
}

TEST_CASE("finding by name ignores case and keeps the stored spelling") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  REQUIRE(store.create_user("MixedCase", "", "h", 1));
  auto found = store.find_user_by_name("mixedcase");
  REQUIRE(found);
  CHECK(found->username == "MixedCase");
  CHECK_FALSE(store.find_user_by_name("mixedcas"));
}

TEST_CASE("ids are distinct decimal strings, and non-ids find nothing") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  auto a = store.create_user("aaa", "", "h", 1);
  auto b = store.create_user("bbb", "", "h", 1);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->id != b->id);
  CHECK(a->id.find_first_not_of("0123456789") == std::string::npos);
  for (const char* bad : {"", "abc", "0", "-1", " 1", "1 ", "+1", "01", "99999999999999999999999"}) {
    INFO(bad);
    CHECK_FALSE(store.find_user(bad));
  }
  CHECK_FALSE(store.find_user("987654"));
}
