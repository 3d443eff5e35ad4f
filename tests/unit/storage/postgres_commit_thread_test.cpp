// Commits off the event loop (docs/cluster.md, "Commits off the event loop"): with
// commit_off_the_loop(), PostgresStore's commit_batch_async() returns at once, the COMMIT
// runs on the store's commit thread, and `done` comes back through the loop's queue, in
// the order the batches were handed over. A COMMIT is made slow (or failing) by a deferred
// constraint trigger, which PostgreSQL runs at COMMIT time. Run as `unit_storage
// [postgres]` through tests/cluster/postgres.sh (postgres_store_test.cpp says why).
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "fixtures.hpp"
#ifdef HARMONIC_POSTGRES
#include "storage/postgres_connection.hpp"
#include "storage/postgres_store.hpp"
#endif

using namespace harmonic::storage;
using harmonic::test::Backend;
using harmonic::test::default_parameters;
using harmonic::test::TestDatabase;
using Clock = std::chrono::steady_clock;

namespace {

UniverseChange gravity(const std::string& universe_id, const std::string& user_id, double value) {
  UniverseChange change;
  change.universe_id = universe_id;
  change.timestamp = 1000;
  change.parameter_sets["physics"] = {{"gravity", value}};
  change.merge_parameter_sets = true;
  change.history.push_back({0, 1000, user_id, "parameter", "physics", {{"gravity", value}}});
  return change;
}

// The event loop, as the store sees it: a queue its commit thread posts completions to.
class LoopQueue {
 public:
  WriteBatch::Post post() {
    return [this](std::function<void()> job) {
      {
        const std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
      }
      posted_.notify_one();
    };
  }
  // Runs one posted job; false when none came within `wait`.
  bool run_one(std::chrono::milliseconds wait) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      if (!posted_.wait_for(lock, wait, [this] { return !jobs_.empty(); })) return false;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
    return true;
  }

 private:
  std::mutex mutex_;
  std::condition_variable posted_;
  std::deque<std::function<void()>> jobs_;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

TEST_CASE("a store that commits in place (SQLite) calls done before commit_batch_async returns") {
  TestDatabase database(Backend::sqlite);
  auto store = database.open();
  store->commit_off_the_loop([](std::function<void()>) { FAIL("SQLite posted a completion"); });
  const auto owner = *store->create_user("owner", "", "h", 1);
  const auto universe = store->create_universe(owner.id, "local", "", false, 1, default_parameters(), 1);
  store->begin_batch();
  store->commit(gravity(universe.id, owner.id, 2.0));
  bool told = false;
  store->commit_batch_async([&](std::exception_ptr failure) { told = failure == nullptr; });
  CHECK(told);
  CHECK_FALSE(store->batch_open());
  CHECK(store->latest_history(universe.id, 10).size() == 1);
}

#ifdef HARMONIC_POSTGRES

namespace {

TestDatabase postgres_database() {
  REQUIRE_FALSE(harmonic::test::postgres_test_url().empty());  // run through tests/cluster/postgres.sh
  return TestDatabase(Backend::postgres);
}

struct AsyncPostgres {
  TestDatabase database = postgres_database();
  std::unique_ptr<Store> store = database.open();
  std::unique_ptr<Store> other_node = database.open();  // sees only what is committed
  LoopQueue loop;
  User owner = *store->create_user("owner", "", "h", 1);
  Universe slow = store->create_universe(owner.id, "slow", "", false, 1, default_parameters(), 1);
  Universe fast = store->create_universe(owner.id, "fast", "", false, 1, default_parameters(), 1);

  AsyncPostgres() { store->commit_off_the_loop(loop.post()); }
  ~AsyncPostgres() { store->commit_off_the_loop(nullptr); }

  // `body` (PL/pgSQL) runs at the COMMIT of every transaction that wrote history for
  // the universe `slow`.
  void at_commit_of_slow(const std::string& body) {
    pg::Connection admin(harmonic::test::postgres_test_url(),
                         "SET search_path TO \"" + database.schema() + "\"");
    admin.exec("CREATE FUNCTION at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " + body +
               " RETURN NULL; END $$");
    admin.exec("CREATE CONSTRAINT TRIGGER at_commit AFTER INSERT ON history DEFERRABLE INITIALLY DEFERRED"
               " FOR EACH ROW WHEN (NEW.universe_id = " + slow.id + ") EXECUTE FUNCTION at_commit()");
  }

  void write_batch(const Universe& universe, double value, WriteBatch::CommitDone done) {
    store->begin_batch();
    store->commit(gravity(universe.id, owner.id, value));
    store->commit_batch_async(std::move(done));
  }
};

}  // namespace

TEST_CASE("off the loop: commit_batch_async returns at once, the next batch is written meanwhile, "
          "and done comes back in order once each COMMIT returned", "[.postgres]") {
  AsyncPostgres f;
  f.at_commit_of_slow("PERFORM pg_sleep(0.5);");
  std::vector<std::string> told;
  auto record = [&](std::string name) {
    return [&told, name](std::exception_ptr failure) { told.push_back(failure ? name + " failed" : name); };
  };

  const auto start = Clock::now();
  f.write_batch(f.slow, 1.0, record("slow"));
  f.write_batch(f.fast, 2.0, record("fast"));  // the second connection: no wait for the first
  CHECK(seconds_since(start) < 0.3);           // the loop did not wait for the 0.5 s COMMIT
  CHECK(told.empty());                         // nothing is told before its COMMIT returned
  CHECK(f.other_node->latest_history(f.slow.id, 10).empty());

  // A third batch needs a connection: the loop waits for the first COMMIT, not longer.
  f.write_batch(f.slow, 3.0, record("slow again"));
  CHECK(told.empty());  // its completion is posted, not run: the loop runs it
  while (told.size() < 3 && f.loop.run_one(std::chrono::seconds(5))) {
  }
  CHECK(told == std::vector<std::string>{"slow", "fast", "slow again"});
  const auto log = f.other_node->latest_history(f.slow.id, 10);
  REQUIRE(log.size() == 2);
  CHECK(log[0].seq == 1);
  CHECK(log[0].changes["gravity"] == 1.0);
  CHECK(log[1].seq == 2);
  CHECK(f.other_node->load_parameters(f.slow.id)["physics"]["gravity"] == 3.0);
  CHECK(f.other_node->load_parameters(f.fast.id)["physics"]["gravity"] == 2.0);
}

TEST_CASE("off the loop: a failed COMMIT is told through done, stores nothing, and later batches go on",
          "[.postgres]") {
  AsyncPostgres f;
  f.at_commit_of_slow("RAISE EXCEPTION 'refused at commit';");
  std::vector<std::string> told;
  f.write_batch(f.slow, 1.0, [&](std::exception_ptr failure) {
    try {
      if (failure) std::rethrow_exception(failure);
      told.push_back("stored");
    } catch (const StorageError& error) {
      told.push_back(std::string("StorageError: ") + error.what());
    }
  });
  f.write_batch(f.fast, 2.0, [&](std::exception_ptr failure) { told.push_back(failure ? "failed" : "stored"); });
  while (told.size() < 2 && f.loop.run_one(std::chrono::seconds(5))) {
  }
  REQUIRE(told.size() == 2);
  CHECK_THAT(told[0], Catch::Matchers::Contains("StorageError") && Catch::Matchers::Contains("refused at commit"));
  CHECK(told[1] == "stored");
  CHECK(f.other_node->latest_history(f.slow.id, 10).empty());
  CHECK(f.other_node->load_parameters(f.slow.id) == default_parameters());
  CHECK(f.other_node->latest_history(f.fast.id, 10).size() == 1);
  CHECK_FALSE(f.store->out_of_space());  // refused, not a full disk
}

TEST_CASE("stopping the commit thread waits for the COMMITs handed over", "[.postgres]") {
  AsyncPostgres f;
  f.at_commit_of_slow("PERFORM pg_sleep(0.3);");
  bool told = false;
  f.write_batch(f.slow, 4.0, [&](std::exception_ptr failure) { told = failure == nullptr; });
  f.store->commit_off_the_loop(nullptr);  // as the server does when it stops
  CHECK(f.other_node->latest_history(f.slow.id, 10).size() == 1);
  CHECK(f.loop.run_one(std::chrono::milliseconds(0)));  // its completion was posted
  CHECK(told);
  // Synchronous again, with nothing left to post.
  f.store->begin_batch();
  f.store->commit(gravity(f.fast.id, f.owner.id, 5.0));
  bool told_in_place = false;
  f.store->commit_batch_async([&](std::exception_ptr failure) { told_in_place = failure == nullptr; });
  CHECK(told_in_place);
}

#endif
