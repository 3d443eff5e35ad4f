// commit(): one transaction for fields, parameters and history; seq per universe.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;
using harmonic::test::StoreWithUsers;

namespace {

HistoryEntry entry(const std::string& user_id, std::int64_t timestamp, nlohmann::json changes,
                   std::optional<std::string> category = "physics", std::string kind = "parameter") {
  HistoryEntry e;
  e.seq = 777;  // must be ignored on input
  e.timestamp = timestamp;
  e.user_id = user_id;
  e.kind = std::move(kind);
  e.category = std::move(category);
  e.changes = std::move(changes);
  return e;
}

std::vector<std::int64_t> seqs(const std::vector<HistoryEntry>& entries) {
  std::vector<std::int64_t> out;
  for (const auto& e : entries) out.push_back(e.seq);
  return out;
}

}  // namespace

TEST_CASE("commit applies fields, replaces categories and appends history") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();

  UniverseChange change;
  change.universe_id = universe.id;
  change.timestamp = 5000;
  change.name = "Renamed";
  change.parameter_sets["physics"] = {{"gravity", 1.5}};  // the whole new category
  change.history.push_back(entry(s.owner.id, 5000, {{"gravity", 1.5}}));
  change.history.push_back(entry(s.owner.id, 0, {{"name", "Renamed"}}, std::nullopt, "universe"));

  auto applied = s.store.commit(change);
  REQUIRE(applied.size() == 2);
  CHECK(seqs(applied) == std::vector<std::int64_t>{1, 2});
  CHECK(applied[1].timestamp == 5000);  // 0 means "the change's timestamp"
  CHECK_FALSE(applied[1].category);

  auto found = s.store.find_universe(universe.id);
  REQUIRE(found);
  CHECK(found->name == "Renamed");
  CHECK(found->description == "a description");  // not named in the change: untouched
  CHECK_FALSE(found->is_public);
  CHECK(found->updated_at == 5000);

  auto parameters = s.store.load_parameters(universe.id);
  CHECK(parameters["physics"] == nlohmann::json{{"gravity", 1.5}});
  CHECK(parameters["music"] == default_parameters()["music"]);  // other categories untouched

  auto history = s.store.latest_history(universe.id, 10);
  REQUIRE(history.size() == 2);
  CHECK(history[0].changes == nlohmann::json{{"gravity", 1.5}});
  CHECK(history[0].category == "physics");
  CHECK(history[0].user_id == s.owner.id);
  CHECK(history[1].kind == "universe");
}

TEST_CASE("seq grows by one per entry and is counted per universe") {
  StoreWithUsers s(EACH_STORE());
  auto a = s.make_universe("a");
  auto b = s.make_universe("b");
  auto commit = [&](const std::string& id, int entries, std::int64_t at) {
    UniverseChange change;
    change.universe_id = id;
    change.timestamp = at;
    for (int i = 0; i < entries; ++i) change.history.push_back(entry(s.owner.id, at, {{"i", i}}));
    return seqs(s.store.commit(change));
  };
  CHECK(commit(a.id, 2, 10) == std::vector<std::int64_t>{1, 2});
  CHECK(commit(a.id, 1, 20) == std::vector<std::int64_t>{3});
  CHECK(commit(b.id, 1, 30) == std::vector<std::int64_t>{1});
  CHECK(commit(a.id, 3, 40) == std::vector<std::int64_t>{4, 5, 6});
  CHECK(commit(a.id, 0, 50).empty());
  CHECK(commit(a.id, 1, 60) == std::vector<std::int64_t>{7});
}

TEST_CASE("a commit that fails part-way leaves nothing behind") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  UniverseChange first;
  first.universe_id = universe.id;
  first.timestamp = 2000;
  first.history.push_back(entry(s.owner.id, 2000, {{"gravity", 2}}));
  s.store.commit(first);

  UniverseChange change;
  change.universe_id = universe.id;
  change.timestamp = 3000;
  change.name = "Should not stick";
  change.parameter_sets["physics"] = {{"gravity", 99}};
  change.history.push_back(entry(s.owner.id, 3000, {{"gravity", 99}}));
  change.history.push_back(entry("424242", 3000, {{"gravity", 99}}));  // no such user: the last write fails

  CHECK_THROWS_AS(s.store.commit(change), StorageError);

  auto found = s.store.find_universe(universe.id);
  CHECK(found->name == "Nebula");
  CHECK(found->updated_at == 2000);
  CHECK(s.store.load_parameters(universe.id) == default_parameters());
  CHECK(seqs(s.store.latest_history(universe.id, 10)) == std::vector<std::int64_t>{1});

  SECTION("and the next commit continues the sequence without a gap") {
    UniverseChange next;
    next.universe_id = universe.id;
    next.timestamp = 4000;
    next.history.push_back(entry(s.owner.id, 4000, {{"gravity", 3}}));
    CHECK(seqs(s.store.commit(next)) == std::vector<std::int64_t>{2});
  }
}

TEST_CASE("committing to a universe that does not exist throws UniverseNotFound") {
  StoreWithUsers s(EACH_STORE());
  UniverseChange change;
  change.timestamp = 1;
  change.history.push_back(entry(s.owner.id, 1, {}));
  change.universe_id = "999999";
  CHECK_THROWS_AS(s.store.commit(change), UniverseNotFound);
  change.universe_id = "garbage";
  CHECK_THROWS_AS(s.store.commit(change), UniverseNotFound);

  auto deleted = s.make_universe();
  REQUIRE(s.store.delete_universe(deleted.id));
  change.universe_id = deleted.id;
  CHECK_THROWS_AS(s.store.commit(change), UniverseNotFound);
}

TEST_CASE("updated_at never moves backwards") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe("n", false, 1000);
  UniverseChange change;
  change.universe_id = universe.id;
  change.timestamp = 500;  // a clock that went back
  change.description = "new";
  s.store.commit(change);
  auto found = s.store.find_universe(universe.id);
  CHECK(found->description == "new");
  CHECK(found->updated_at == 1000);
}

TEST_CASE("latest_history and history_page: oldest first, newest N / a page after a seq, strictly after") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  for (int i = 1; i <= 10; ++i) {
    UniverseChange change;
    change.universe_id = universe.id;
    change.timestamp = 1000 + i * 10;  // 1010, 1020, ... 1100
    change.history.push_back(entry(s.owner.id, change.timestamp, {{"i", i}}));
    s.store.commit(change);
  }
  CHECK(seqs(s.store.latest_history(universe.id, 100)) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  CHECK(seqs(s.store.latest_history(universe.id, 3)) == std::vector<std::int64_t>{8, 9, 10});
  CHECK(s.store.latest_history(universe.id, 0).empty());
  CHECK(s.store.latest_history(universe.id, -1).empty());
  CHECK(s.store.latest_history("999999", 10).empty());

  CHECK(seqs(s.store.history_page(universe.id, 1070, 0, 100)) == std::vector<std::int64_t>{8, 9, 10});  // > not >=
  CHECK(seqs(s.store.history_page(universe.id, 1000, 0, 2)) == std::vector<std::int64_t>{1, 2});  // the oldest page
  CHECK(seqs(s.store.history_page(universe.id, 1000, 2, 3)) == std::vector<std::int64_t>{3, 4, 5});  // after seq 2
  CHECK(seqs(s.store.history_page(universe.id, 1050, 2, 3)) == std::vector<std::int64_t>{6, 7, 8});  // both bounds
  CHECK(s.store.history_page(universe.id, 1000, 10, 100).empty());
  CHECK(s.store.history_page(universe.id, 1100, 0, 100).empty());
  CHECK(s.store.history_page(universe.id, 1000, 0, 0).empty());
  CHECK(s.store.history_page("999999", 0, 0, 10).empty());
  CHECK(s.store.history_page(universe.id, 1010, 0, 100).front().changes == nlohmann::json{{"i", 2}});
}

TEST_CASE("history_page is exact when timestamps do not grow with seq (a clock that went back)") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  for (const std::int64_t stamp : {100, 500, 200, 600, 300}) {  // seq 1..5
    UniverseChange change;
    change.universe_id = universe.id;
    change.timestamp = stamp;
    change.history.push_back(entry(s.owner.id, stamp, {{"at", stamp}}));
    s.store.commit(change);
  }
  CHECK(seqs(s.store.history_page(universe.id, 250, 0, 100)) == std::vector<std::int64_t>{2, 4, 5});
  CHECK(seqs(s.store.history_page(universe.id, 250, 0, 1)) == std::vector<std::int64_t>{2});
  CHECK(seqs(s.store.history_page(universe.id, 250, 2, 1)) == std::vector<std::int64_t>{4});
  CHECK(seqs(s.store.history_page(universe.id, 550, 0, 100)) == std::vector<std::int64_t>{4});
}

TEST_CASE("JSON values survive the round trip exactly, odd strings included") {
  StoreWithUsers s(EACH_STORE());
  auto universe = s.make_universe();
  nlohmann::json values = {{"big", 9007199254740993LL},
                           {"neg", -0.000123},
                           {"unicode", "ünïcödé ♫"},
                           {"nested", {{"a", {1, 2, 3}}, {"null", nullptr}}}};
  UniverseChange change;
  change.universe_id = universe.id;
  change.timestamp = 1;
  change.parameter_sets["music"] = values;
  change.history.push_back(entry(s.owner.id, 1, values, "music"));
  s.store.commit(change);
  CHECK(s.store.load_parameters(universe.id)["music"] == values);
  CHECK(s.store.latest_history(universe.id, 1).at(0).changes == values);

  SECTION("invalid UTF-8 in a change does not make the commit throw") {
    UniverseChange bad;
    bad.universe_id = universe.id;
    bad.timestamp = 2;
    bad.history.push_back(entry(s.owner.id, 2, {{"text", std::string("\xff\xfe")}}, "music"));
    CHECK_NOTHROW(s.store.commit(bad));
  }
}
