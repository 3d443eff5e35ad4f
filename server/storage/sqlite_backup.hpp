// Copies of the SQLite database for backup and restore (docs/operations.md, "Backup and
// restore"). A backup is taken while the server runs and writes: it reads one snapshot of
// the database in one read transaction (WAL mode lets writers go on meanwhile), so the
// copy holds every transaction committed before it began and none half.
#pragma once

#include <cstdint>
#include <filesystem>

namespace harmonic::storage {

// Writes a consistent copy of the database `database` to `target` (VACUUM INTO: compact,
// and one self-contained file, no -wal beside it). The copy is written under a temporary
// name, fsynced, made 0600 (file_permissions.hpp) and only then renamed to `target`, so a
// failed backup leaves no file that looks complete. Throws StorageError when `database`
// is missing or unreadable, or `target` already exists (a backup never overwrites).
void backup_database(const std::filesystem::path& database, const std::filesystem::path& target);

// What check_backup found in a file.
struct BackupSummary {
  int schema_version = 0;
  std::int64_t users = 0;
  std::int64_t universes = 0;
};

// Opens `file` read-only and checks it is a Harmonic Universe database this build can
// open: SQLite's PRAGMA integrity_check says "ok", its schema version is known, and it has
// the users and universes tables. Throws StorageError saying what is wrong otherwise.
BackupSummary check_backup(const std::filesystem::path& file);

// Replaces the database `database` with the content of the checked backup `backup`. The
// caller makes sure no server uses it (app/data_dir_lock.hpp). The old database with its
// -wal and -shm files is kept beside it as "<name>.before-restore" (replacing an older
// one), so a wrong restore can be undone by hand. The new file is written under a
// temporary name, fsynced and renamed into place: a failure leaves the old one in place.
void restore_database(const std::filesystem::path& backup, const std::filesystem::path& database);

}  // namespace harmonic::storage
