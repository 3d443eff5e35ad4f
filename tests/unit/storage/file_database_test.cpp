// The on-disk file: data survives reopening, and the connection is set up as promised.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;
using harmonic::test::TempDir;

TEST_CASE("reopening a file keeps users, universes, history, chat and settings") {
  TempDir dir;
  const auto path = database_file_in(dir.path()).string();
  std::string user_id;
  std::string universe_id;
  {
    SqliteStore store(path);
    user_id = store.create_user("keeper", "k@example.com", "hash", 1)->id;
    universe_id = store.create_universe(user_id, "Saved", "", true, 7, default_parameters(), 2).id;
    UniverseChange change;
    change.universe_id = universe_id;
    change.timestamp = 3;
    change.parameter_sets["audio"] = {{"volume", 0.1}};
    change.history.push_back({0, 3, user_id, "parameter", "audio", {{"volume", 0.1}}});
    store.commit(change);
    store.add_message(universe_id, user_id, "still here?", 4);
    store.put_setting("jwt_secret", "s3cret");
  }
  SqliteStore store(path);
  CHECK(store.find_user_by_name("KEEPER")->id == user_id);
  CHECK(store.find_universe(universe_id)->name == "Saved");
  CHECK(store.load_parameters(universe_id)["audio"] == nlohmann::json{{"volume", 0.1}});
  CHECK(store.latest_history(universe_id, 10).size() == 1);
  CHECK(store.latest_messages(universe_id, 10).at(0).message == "still here?");
  CHECK(store.get_setting("jwt_secret") == "s3cret");

  SECTION("and the sequence continues after a reopen") {
    UniverseChange change;
    change.universe_id = universe_id;
    change.timestamp = 5;
    change.history.push_back({0, 5, user_id, "reset", "audio", nlohmann::json::object()});
    CHECK(store.commit(change).at(0).seq == 2);
  }
}

TEST_CASE("the connection uses WAL, foreign keys and the chosen synchronous level") {
  TempDir dir;
  const auto path = dir.file("pragmas.sqlite3");
  {
    SqliteStore store(path);
    CHECK(store.pragma_value("foreign_keys") == 1);
    CHECK(store.pragma_value("synchronous") == 1);  // NORMAL
    CHECK(store.pragma_value("busy_timeout") == 5000);
  }
  {
    SqliteOptions options;
    options.synchronous = SqliteOptions::Synchronous::full;
    options.busy_timeout = std::chrono::milliseconds(250);
    SqliteStore store(path, options);
    CHECK(store.pragma_value("synchronous") == 2);  // FULL
    CHECK(store.pragma_value("busy_timeout") == 250);
  }
  SqliteStore store(path);
  CHECK_THROWS_AS(store.pragma_value("synchronous; DROP TABLE users"), StorageError);
}

TEST_CASE("a second connection sees a commit as soon as it returns") {
  // What "durable when the call returns" looks like from outside the process's memory:
  // another connection to the file reads the change without the first one closing.
  TempDir dir;
  const auto path = dir.file("shared.sqlite3");
  SqliteStore writer(path);
  SqliteStore reader(path);
  auto user = writer.create_user("writer", "", "h", 1);
  REQUIRE(user);
  CHECK(reader.find_user(user->id));
  writer.put_setting("k", "v");
  CHECK(reader.get_setting("k") == "v");
}

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

TEST_CASE("a change committed before SIGKILL is there after restart") {
  TempDir dir;
  const auto path = dir.file("killed.sqlite3");
  std::string universe_id;
  std::string user_id;
  {
    SqliteStore store(path);
    user_id = store.create_user("victim", "", "h", 1)->id;
    universe_id = store.create_universe(user_id, "u", "", false, 1, default_parameters(), 1).id;
  }
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child commits, reports "acknowledged" and then waits to be killed without ever
    // closing the database cleanly. It must never return into the test runner, which
    // would go on running the remaining tests in two processes.
    ::close(ready[0]);
    try {
      SqliteStore store(path);
      UniverseChange change;
      change.universe_id = universe_id;
      change.timestamp = 2;
      change.parameter_sets["physics"] = {{"gravity", 4.2}};
      change.history.push_back({0, 2, user_id, "parameter", "physics", {{"gravity", 4.2}}});
      store.commit(change);
      const char ack = 'k';
      [[maybe_unused]] auto written = ::write(ready[1], &ack, 1);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(1);  // the parent's read then sees end-of-file and fails the test
    }
  }
  ::close(ready[1]);
  char ack = 0;
  REQUIRE(::read(ready[0], &ack, 1) == 1);
  ::close(ready[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  SqliteStore store(path);
  CHECK(store.load_parameters(universe_id)["physics"] == nlohmann::json{{"gravity", 4.2}});
  CHECK(store.latest_history(universe_id, 10).size() == 1);
}
