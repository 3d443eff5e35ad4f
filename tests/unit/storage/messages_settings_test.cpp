#include <catch2/catch.hpp>

#include "store_backends.hpp"

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"

using namespace harmonic::storage;
using harmonic::test::TestDatabase;
using harmonic::test::StoreWithUsers;

namespace {
std::vector<std::string> texts(const std::vector<ChatMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) out.push_back(m.message);
  return out;
}
}  // namespace

TEST_CASE("chat messages are stored with id, author name and timestamp") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  auto message = s.store.add_message(universe.id, s.friend_.id, "hello ♫", 5000);
  CHECK_FALSE(message.id.empty());
  CHECK(message.universe_id == universe.id);
  CHECK(message.user_id == s.friend_.id);
  CHECK(message.username == "friend");
  CHECK(message.timestamp == 5000);

  auto latest = s.store.latest_messages(universe.id, 50);
  REQUIRE(latest.size() == 1);
  CHECK(latest[0].id == message.id);
  CHECK(latest[0].username == "friend");
  CHECK(latest[0].message == "hello ♫");
}

TEST_CASE("latest_messages and messages_page: oldest first, newest N / a page after an id, strictly after") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  auto other = s.make_universe("other");
  for (int i = 1; i <= 6; ++i) {
    s.store.add_message(universe.id, s.owner.id, "m" + std::to_string(i), 100 * i);
  }
  s.store.add_message(other.id, s.owner.id, "elsewhere", 150);

  CHECK(texts(s.store.latest_messages(universe.id, 50)) ==
        std::vector<std::string>{"m1", "m2", "m3", "m4", "m5", "m6"});
  CHECK(texts(s.store.latest_messages(universe.id, 2)) == std::vector<std::string>{"m5", "m6"});
  CHECK(s.store.latest_messages(universe.id, 0).empty());
  CHECK(texts(s.store.messages_page(universe.id, 400, "", 50)) == std::vector<std::string>{"m5", "m6"});
  const auto first = s.store.messages_page(universe.id, 100, "", 2);
  CHECK(texts(first) == std::vector<std::string>{"m2", "m3"});
  CHECK(texts(s.store.messages_page(universe.id, 100, first.back().id, 2)) == std::vector<std::string>{"m4", "m5"});
  CHECK(texts(s.store.messages_page(universe.id, 0, first.back().id, 50)) ==
        std::vector<std::string>{"m4", "m5", "m6"});
  CHECK(s.store.messages_page(universe.id, 600, "", 50).empty());
  CHECK(s.store.messages_page(universe.id, 0, "bogus", 50).empty());
  CHECK(s.store.messages_page(universe.id, 0, "", 0).empty());
  CHECK(texts(s.store.latest_messages(other.id, 50)) == std::vector<std::string>{"elsewhere"});
}

TEST_CASE("a message for a missing universe or user is refused") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  CHECK_THROWS_AS(s.store.add_message("999999", s.owner.id, "x", 1), UniverseNotFound);
  CHECK_THROWS_AS(s.store.add_message("bogus", s.owner.id, "x", 1), UniverseNotFound);
  CHECK_THROWS_AS(s.store.add_message(universe.id, "999999", "x", 1), StorageError);
  CHECK(s.store.latest_messages(universe.id, 10).empty());
}

TEST_CASE("keep_first_setting stores a value only once and returns the one kept") {
  TestDatabase database(EACH_STORE());
  const auto first = database.open();
  const auto second = database.open();  // another server on the same database
  CHECK(first->keep_first_setting("jwt_secret", "from-first") == "from-first");
  CHECK(second->keep_first_setting("jwt_secret", "from-second") == "from-first");
  CHECK(second->get_setting("jwt_secret") == "from-first");
}

TEST_CASE("settings are stored, overwritten and read back") {
  TestDatabase database(EACH_STORE());
  const auto opened = database.open();
  Store& store = *opened;
  CHECK_FALSE(store.get_setting("jwt_secret"));
  store.put_setting("jwt_secret", "abc");
  CHECK(store.get_setting("jwt_secret") == "abc");
  store.put_setting("jwt_secret", "def");
  CHECK(store.get_setting("jwt_secret") == "def");
  store.put_setting("other", "");
  CHECK(store.get_setting("other") == "");
  CHECK(store.get_setting("jwt_secret") == "def");
}
