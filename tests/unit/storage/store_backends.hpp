// The stores the storage suite runs against: SQLite always, and PostgreSQL as well when
// HARMONIC_TEST_POSTGRES_URL names a server (tests/cluster/postgres.sh starts a throwaway
// one). A test case that holds for every Store starts with
//     StoreWithUsers s(EACH_STORE());     or     TestDatabase db(EACH_STORE());
// and runs once per store; a failure names the store it failed on. Cases about what only
// SQLite has (file modes, WAL and its checkpointer, max_page_count as a full disk, the
// SQLite migration steps) construct a SqliteStore themselves and run on SQLite alone; their
// PostgreSQL counterparts are in postgres_store_test.cpp.
#pragma once

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "storage/sqlite_store.hpp"
#include "temp_dir.hpp"
#ifdef HARMONIC_POSTGRES
#include "storage/postgres_store.hpp"
#endif

namespace harmonic::test {

enum class Backend { sqlite, postgres };

inline const char* backend_name(Backend backend) { return backend == Backend::sqlite ? "sqlite" : "postgres"; }

inline std::string postgres_test_url() {
  const char* url = std::getenv("HARMONIC_TEST_POSTGRES_URL");
  return url != nullptr ? url : "";
}

inline std::vector<Backend> store_backends() {
  std::vector<Backend> backends{Backend::sqlite};
  if (!postgres_test_url().empty()) {
#ifdef HARMONIC_POSTGRES
    backends.push_back(Backend::postgres);
#else
    // Asked for PostgreSQL but built without it: fail loudly rather than test less.
    throw std::runtime_error("HARMONIC_TEST_POSTGRES_URL is set but this build has no PostgreSQL store");
#endif
  }
  return backends;
}

#define EACH_STORE() GENERATE(from_range(::harmonic::test::store_backends()))

// One empty database for one test case. open() connects to it anew each time, so a test
// can hold two connections (two processes, two nodes) or reopen it: a file in a fresh
// folder for SQLite, a fresh schema for PostgreSQL (dropped at the end).
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend) : backend_(backend) {
    UNSCOPED_INFO("store: " << backend_name(backend));
    if (backend == Backend::postgres) {
      static std::atomic<int> counter{0};
      schema_ = "test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                std::to_string(std::random_device{}() % 1000000);
    }
  }
  ~TestDatabase() {
#ifdef HARMONIC_POSTGRES
    if (backend_ == Backend::postgres) {
      try {
        storage::pg::Connection admin(postgres_test_url(), "");
        admin.exec("DROP SCHEMA IF EXISTS " + admin.quote_identifier(schema_) + " CASCADE");
      } catch (const std::exception&) {
        // The throwaway server goes away with everything in it anyway.
      }
    }
#endif
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Backend backend() const { return backend_; }
  bool is_sqlite() const { return backend_ == Backend::sqlite; }
  const std::string& schema() const { return schema_; }  // PostgreSQL only

  std::unique_ptr<storage::Store> open(storage::Retention retention = {}) const {
#ifdef HARMONIC_POSTGRES
    if (backend_ == Backend::postgres) {
      storage::PostgresOptions options;
      options.schema = schema_;
      options.retention = retention;
      return std::make_unique<storage::PostgresStore>(postgres_test_url(), options);
    }
#endif
    storage::SqliteOptions options;
    options.retention = retention;
    return std::make_unique<storage::SqliteStore>(storage::database_file_in(dir_.path()).string(), options);
  }

 private:
  Backend backend_;
  TempDir dir_;
  std::string schema_;
};

}  // namespace harmonic::test
