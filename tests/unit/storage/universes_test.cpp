#include <catch2/catch.hpp>

#include <algorithm>

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;
using harmonic::test::StoreWithUsers;

TEST_CASE("a created universe is found with its fields and parameters") {
  StoreWithUsers s(EACH_STORE());
  const std::uint64_t big_seed = 0xFEDCBA9876543210ull;  // above INT64_MAX: must survive the signed column
  auto universe = s.store.create_universe(s.owner.id, "Nebula", "swirls", true, big_seed, default_parameters(), 5000);
  CHECK(universe.owner_id == s.owner.id);

  auto found = s.store.find_universe(universe.id);
  REQUIRE(found);
  CHECK(found->name == "Nebula");
  CHECK(found->description == "swirls");
  CHECK(found->is_public);
  CHECK(found->seed == big_seed);
  CHECK(found->created_at == 5000);
  CHECK(found->updated_at == 5000);
  CHECK(s.store.load_parameters(universe.id) == default_parameters());
}

TEST_CASE("create_universe refuses parameters that are not an object and unknown owners") {
  StoreWithUsers s(EACH_STORE());
  CHECK_THROWS_AS(s.store.create_universe(s.owner.id, "x", "", false, 1, nlohmann::json::array(), 1), StorageError);
  CHECK_THROWS_AS(s.store.create_universe("424242", "x", "", false, 1, default_parameters(), 1), StorageError);
  CHECK_THROWS_AS(s.store.create_universe("nope", "x", "", false, 1, default_parameters(), 1), StorageError);
}

TEST_CASE("role_of tells owner, collaborator, viewer and none apart") {
  StoreWithUsers s(EACH_STORE());
  auto priv = s.make_universe("private", false);
  auto pub = s.make_universe("public", true);
  REQUIRE(s.store.add_collaborator(priv.id, s.friend_.id));

  CHECK(s.store.role_of(priv.id, s.owner.id) == Role::owner);
  CHECK(s.store.role_of(priv.id, s.friend_.id) == Role::collaborator);
  CHECK(s.store.role_of(priv.id, s.stranger.id) == Role::none);

  CHECK(s.store.role_of(pub.id, s.owner.id) == Role::owner);
  CHECK(s.store.role_of(pub.id, s.stranger.id) == Role::viewer);
  CHECK(s.store.role_of(pub.id, s.friend_.id) == Role::viewer);

  SECTION("a public universe is not viewable by a user that does not exist") {
    CHECK(s.store.role_of(pub.id, "999999") == Role::none);
    CHECK(s.store.role_of(pub.id, "not-an-id") == Role::none);
  }
  SECTION("a universe that does not exist gives none") {
    CHECK(s.store.role_of("999999", s.owner.id) == Role::none);
  }
  SECTION("removing a collaborator takes the role away") {
    CHECK(s.store.remove_collaborator(priv.id, s.friend_.id));
    CHECK_FALSE(s.store.remove_collaborator(priv.id, s.friend_.id));
    CHECK(s.store.role_of(priv.id, s.friend_.id) == Role::none);
  }
  SECTION("making a universe private through commit ends viewing") {
    UniverseChange change;
    change.universe_id = pub.id;
    change.timestamp = 2000;
    change.is_public = false;
    s.store.commit(change);
    CHECK(s.store.role_of(pub.id, s.stranger.id) == Role::none);
  }
}

TEST_CASE("collaborators: added once, listed, and only for existing rows") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  CHECK(s.store.add_collaborator(universe.id, s.friend_.id));
  CHECK_FALSE(s.store.add_collaborator(universe.id, s.friend_.id));  // already
  CHECK(s.store.add_collaborator(universe.id, s.stranger.id));
  CHECK_FALSE(s.store.add_collaborator(universe.id, "999999"));
  CHECK_FALSE(s.store.add_collaborator("999999", s.friend_.id));

  auto list = s.store.list_collaborators(universe.id);
  REQUIRE(list.size() == 2);
  CHECK(list[0].username == "friend");
  CHECK(list[1].username == "stranger");
}

TEST_CASE("list_universes_visible_to: own, shared and public, newest first, with the role") {
  StoreWithUsers s(EACH_STORE());
  s.make_universe("own-old", false, 1000);
  s.make_universe("public", true, 2000);
  auto shared = s.make_universe("shared", false, 3000);
  s.make_universe("hidden", false, 4000);
  REQUIRE(s.store.add_collaborator(shared.id, s.friend_.id));

  auto names = [](const UniversePage& page) {
    std::vector<std::string> out;
    for (const auto& entry : page.universes) out.push_back(entry.universe.name + ":" + std::to_string(int(entry.role)));
    return out;
  };
  const auto all = 100;
  CHECK(names(s.store.list_universes_visible_to(s.owner.id, all, std::nullopt)) ==
        std::vector<std::string>{"hidden:3", "shared:3", "public:3", "own-old:3"});
  CHECK(names(s.store.list_universes_visible_to(s.friend_.id, all, std::nullopt)) ==
        std::vector<std::string>{"shared:2", "public:1"});
  CHECK(names(s.store.list_universes_visible_to(s.stranger.id, all, std::nullopt)) == std::vector<std::string>{"public:1"});
  CHECK(s.store.list_universes_visible_to("999999", all, std::nullopt).universes.empty());
  CHECK_FALSE(s.store.list_universes_visible_to(s.owner.id, all, std::nullopt).next_older_than_id);
}

TEST_CASE("list_universes_visible_to pages by id: every visible universe exactly once") {
  StoreWithUsers s(EACH_STORE());
  std::vector<std::string> visible;  // to the friend, newest first at the end
  for (int i = 0; i < 23; ++i) {
    const bool is_public = i % 3 == 0;
    auto universe = s.make_universe("u" + std::to_string(i), is_public, 1000 + i);
    if (i % 5 == 1) REQUIRE(s.store.add_collaborator(universe.id, s.friend_.id));
    if (is_public || i % 5 == 1) visible.push_back(universe.id);
  }
  std::reverse(visible.begin(), visible.end());

  for (const int limit : {1, 2, 4, 7, 100}) {
    INFO("limit " << limit);
    std::vector<std::string> seen;
    std::optional<std::string> cursor;
    int pages = 0;
    do {
      const auto page = s.store.list_universes_visible_to(s.friend_.id, limit, cursor);
      REQUIRE(page.universes.size() <= static_cast<std::size_t>(limit));
      for (const auto& entry : page.universes) seen.push_back(entry.universe.id);
      cursor = page.next_older_than_id;
      if (cursor) CHECK(page.universes.size() == static_cast<std::size_t>(limit));
      REQUIRE(++pages <= 30);
    } while (cursor);
    CHECK(seen == visible);
  }
  CHECK(s.store.list_universes_visible_to(s.friend_.id, 5, std::string("not-an-id")).universes.empty());
  CHECK(s.store.list_universes_visible_to(s.friend_.id, 0, std::nullopt).universes.empty());
}

TEST_CASE("count_universes_owned_by counts only the owner's") {
  StoreWithUsers s(EACH_STORE());
  CHECK(s.store.count_universes_owned_by(s.owner.id) == 0);
  s.make_universe("a");
  const auto b = s.make_universe("b", true);
  s.store.create_universe(s.friend_.id, "theirs", "", true, 1, default_parameters(), 1);
  CHECK(s.store.count_universes_owned_by(s.owner.id) == 2);
  REQUIRE(s.store.delete_universe(b.id));
  CHECK(s.store.count_universes_owned_by(s.owner.id) == 1);
  CHECK(s.store.count_universes_owned_by("nobody") == 0);
}

TEST_CASE("deleting a universe removes its parameters, history, chat and collaborators") {
  harmonic::test::TempDir dir;
  const auto path = database_file_in(dir.path()).string();
  std::string doomed_id;
  std::string kept_id;
  {
    SqliteStore store(path);
    auto owner = store.create_user("owner", "", "h", 1);
    auto helper = store.create_user("helper", "", "h", 1);
    auto doomed = store.create_universe(owner->id, "doomed", "", false, 1, default_parameters(), 10);
    auto kept = store.create_universe(owner->id, "kept", "", false, 1, default_parameters(), 10);
    doomed_id = doomed.id;
    kept_id = kept.id;
    for (const auto& id : {doomed.id, kept.id}) {
      REQUIRE(store.add_collaborator(id, helper->id));
      store.add_message(id, helper->id, "hello", 20);
      UniverseChange change;
      change.universe_id = id;
      change.timestamp = 30;
      change.history.push_back({0, 30, helper->id, "parameter", "physics", {{"gravity", 1}}});
      store.commit(change);
    }
    CHECK(store.delete_universe(doomed.id));
    CHECK_FALSE(store.delete_universe(doomed.id));
    CHECK_FALSE(store.find_universe(doomed.id));
    CHECK(store.role_of(doomed.id, owner->id) == Role::none);
  }
  // Look at the rows themselves, not through the store that might just hide them.
  sqlite::Database db(path);
  for (const char* table : {"universe_parameters", "history", "messages", "collaborators"}) {
    INFO(table);
    CHECK(db.query_int(std::string("SELECT count(*) FROM ") + table + " WHERE universe_id = " + doomed_id) == 0);
    CHECK(db.query_int(std::string("SELECT count(*) FROM ") + table + " WHERE universe_id = " + kept_id) > 0);
  }
}

TEST_CASE("a deleted universe's id is not given to the next universe") {
  StoreWithUsers s(EACH_STORE());
  auto first = s.make_universe("first");
  REQUIRE(s.store.delete_universe(first.id));
  auto second = s.make_universe("second");
  CHECK(second.id != first.id);
  CHECK_FALSE(s.store.find_universe(first.id));
}
