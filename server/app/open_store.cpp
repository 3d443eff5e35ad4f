#include "app/open_store.hpp"

#include <filesystem>
#include <utility>

#include <spdlog/spdlog.h>

#include "storage/file_permissions.hpp"
#include "storage/sqlite_store.hpp"
#ifdef HARMONIC_POSTGRES
#include "storage/postgres_store.hpp"
#endif

namespace harmonic::app {

namespace {

storage::Retention retention_of(const ServerOptions& options) {
  storage::Retention retention;
  retention.history_keep = options.history_keep;
  retention.chat_keep = options.chat_keep;
  return retention;
}

std::unique_ptr<storage::Store> open_postgres(const ServerOptions& options) {
#ifdef HARMONIC_POSTGRES
  storage::PostgresOptions postgres_options;
  postgres_options.retention = retention_of(options);
  auto store = std::make_unique<storage::PostgresStore>(options.postgres, postgres_options);
  // Never the connection string itself: it may hold a password.
  spdlog::info("store: PostgreSQL (schema version {})", store->schema_version());
  return store;
#else
  (void)options;
  throw storage::StorageError("--postgres: this harmonic-server was built without PostgreSQL (libpq-dev missing)");
#endif
}

}  // namespace

std::unique_ptr<storage::Store> open_store(const ServerOptions& options) {
  if (!options.postgres.empty()) return open_postgres(options);
  if (auto change = storage::make_private_directory(options.data_dir)) {
    spdlog::warn("data dir was readable by other users; tightened {}", *change);
  }
  storage::SqliteOptions sqlite_options;
  if (options.durable_fsync) sqlite_options.synchronous = storage::SqliteOptions::Synchronous::full;
  sqlite_options.retention = retention_of(options);
  auto store = std::make_unique<storage::SqliteStore>(
      (std::filesystem::path(options.data_dir) / "harmonic.sqlite3").string(), sqlite_options);
  for (const auto& change : store->permission_changes()) {
    spdlog::warn("database file was readable by other users; tightened {}", change);
  }
  return store;
}

CommitsOffTheLoop::CommitsOffTheLoop(storage::Store& store, storage::WriteBatch::Post post) : store_(store) {
  store_.commit_off_the_loop(std::move(post));
}

CommitsOffTheLoop::~CommitsOffTheLoop() {
  try {
    store_.commit_off_the_loop(nullptr);
  } catch (const std::exception& error) {
    spdlog::error("store: stopping the commit thread failed: {}", error.what());
  }
}

}  // namespace harmonic::app
