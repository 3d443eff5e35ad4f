#include "storage/sqlite_backup.hpp"

#include <cerrno>
#include <memory>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include "storage/file_permissions.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_handle.hpp"

namespace harmonic::storage {

namespace fs = std::filesystem;

namespace {

// How long a backup waits for the server's write lock in the rare moments a checkpoint
// holds it, instead of failing at once with SQLITE_BUSY.
constexpr int kBusyTimeoutMs = 10'000;

struct CloseConnection {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

Connection open_connection(const fs::path& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) sqlite::throw_error(db.get(), rc, "opening '" + path.string() + "'");
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

// The first column of the first row of `sql`, as text ("" when NULL or no row).
std::string query_text(sqlite3* db, const std::string& sql) {
  sqlite::Statement statement(db, sql);
  std::string value = statement.step() ? statement.optional_text(0).value_or("") : "";
  statement.reset();
  return value;
}

std::int64_t query_int(sqlite3* db, const std::string& sql) {
  sqlite::Statement statement(db, sql);
  const std::int64_t value = statement.step() ? statement.int64(0) : 0;
  statement.reset();
  return value;
}

// fsync(2) of a file or directory, so a rename that follows is not reordered before the
// data on a crash.
void sync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0) throw std::system_error(error, std::generic_category(), "cannot fsync " + path.string());
}

fs::path directory_of(const fs::path& file) {
  return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

// Makes the temporary file private and durable, then gives it its final name.
void publish(const fs::path& temporary, const fs::path& target) {
  make_private_file(temporary);
  sync_path(temporary);
  fs::rename(temporary, target);
  sync_path(directory_of(target));
}

void remove_quietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

}  // namespace

void backup_database(const fs::path& database, const fs::path& target) {
  std::error_code error;
  if (!fs::is_regular_file(database, error)) {
    throw StorageError("no database at '" + database.string() + "'");
  }
  if (fs::exists(target, error)) {
    throw StorageError("'" + target.string() + "' already exists; a backup never overwrites a file");
  }
  const fs::path temporary = target.string() + ".partial";
  remove_quietly(temporary);  // left by a backup that was killed
  try {
    // Read-only: the backup can never change the live database.
    auto db = open_connection(database, SQLITE_OPEN_READONLY);
    sqlite::Statement vacuum(db.get(), "VACUUM INTO ?1");
    vacuum.bind(1, temporary.string());
    vacuum.run();
    publish(temporary, target);
  } catch (...) {
    remove_quietly(temporary);
    throw;
  }
}

BackupSummary check_backup(const fs::path& file) {
  std::error_code error;
  if (!fs::is_regular_file(file, error)) throw StorageError("no file at '" + file.string() + "'");
  auto db = open_connection(file, SQLITE_OPEN_READONLY);
  std::string integrity;
  try {
    integrity = query_text(db.get(), "PRAGMA integrity_check");
  } catch (const StorageError& failure) {
    throw StorageError("'" + file.string() + "' is not a readable SQLite database: " + failure.what());
  }
  if (integrity != "ok") {
    throw StorageError("'" + file.string() + "' fails SQLite's integrity check: " + integrity);
  }
  BackupSummary summary;
  summary.schema_version = static_cast<int>(query_int(db.get(), "PRAGMA user_version"));
  if (summary.schema_version < 1 || summary.schema_version > latest_schema_version()) {
    throw StorageError("'" + file.string() + "' has schema version " + std::to_string(summary.schema_version) +
                       "; this harmonic-server knows versions 1 to " + std::to_string(latest_schema_version()));
  }
  const auto tables = query_int(db.get(),
                                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('users', 'universes')");
  if (tables != 2) throw StorageError("'" + file.string() + "' is not a Harmonic Universe database");
  summary.users = query_int(db.get(), "SELECT count(*) FROM users");
  summary.universes = query_int(db.get(), "SELECT count(*) FROM universes");
  return summary;
}

void restore_database(const fs::path& backup, const fs::path& database) {
  const fs::path temporary = database.string() + ".restoring";
  remove_quietly(temporary);
  try {
    // SQLite's online backup API rather than a file copy: it reads the backup as SQLite
    // sees it, including a -wal file that may lie beside a copy taken by other means.
    auto source = open_connection(backup, SQLITE_OPEN_READONLY);
    auto destination = open_connection(temporary, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    sqlite3_backup* copy = sqlite3_backup_init(destination.get(), "main", source.get(), "main");
    if (copy == nullptr) sqlite::throw_error(destination.get(), sqlite3_errcode(destination.get()), "starting the restore");
    const int step = sqlite3_backup_step(copy, -1);
    const int finish = sqlite3_backup_finish(copy);
    if (step != SQLITE_DONE) sqlite::throw_error(destination.get(), step, "copying the backup");
    if (finish != SQLITE_OK) sqlite::throw_error(destination.get(), finish, "finishing the restore");
    destination.reset();  // closed before it is renamed
    make_private_file(temporary);
    sync_path(temporary);
    for (const char* suffix : {"", "-wal", "-shm"}) {
      const fs::path current = database.string() + suffix;
      if (fs::exists(current)) fs::rename(current, database.string() + ".before-restore" + suffix);
      else remove_quietly(database.string() + ".before-restore" + suffix);
    }
    fs::rename(temporary, database);
    sync_path(directory_of(database));
  } catch (...) {
    remove_quietly(temporary);
    throw;
  }
}

}  // namespace harmonic::storage
