// The background checkpointer must really copy the WAL into the database file: if it
// silently does nothing, the WAL grows until the I/O thread checkpoints (with two
// fsyncs) on its own, stalling every connection for tens of milliseconds.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "fixtures.hpp"
#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"

using namespace harmonic::storage;
using harmonic::test::default_parameters;
using harmonic::test::TempDir;

TEST_CASE("a store's WAL is checkpointed into the database file by the background thread") {
  TempDir dir;
  const auto path = database_file_in(dir.path()).string();
  SqliteStore store(path);
  const auto user = *store.create_user("writer", "", "hash", 1);
  const auto universe = store.create_universe(user.id, "Busy", "", false, 1, default_parameters(), 2);
  const auto size_before = std::filesystem::file_size(path);

  // ~1,500 WAL pages: past the thread's threshold (1,000) and far below the point where
  // the writer would checkpoint by itself (8,000). Distinct large values keep every
  // commit writing fresh pages.
  for (int i = 0; i < 300; ++i) {
    UniverseChange change;
    change.universe_id = universe.id;
    change.timestamp = 10 + i;
    change.history.push_back({0, 10 + i, user.id, "parameter", "physics",
                              {{"gravity", i}, {"note", std::string(3000, static_cast<char>('a' + i % 26))}}});
    store.commit(change);
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::filesystem::file_size(path) < size_before + 200 * 4096 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(std::filesystem::file_size(path) >= size_before + 200 * 4096);
  CHECK(store.latest_history(universe.id, 1000).size() == 300);
}
