// The versioned database schema. The version lives in SQLite's `PRAGMA user_version`
// (0 for a new file). Each migration step moves it up by one and runs in its own
// transaction together with the version bump, so a crash mid-upgrade leaves the file at
// the previous version, never half-migrated.
//
// To change the schema, append a step; never edit a step that has shipped.
#pragma once

#include <span>
#include <vector>

#include "storage/sqlite_handle.hpp"

namespace harmonic::storage {

struct Migration {
  int version;              // the user_version after this step; steps are numbered 1, 2, ...
  const char* description;  // for logs and errors
  const char* sql;          // one or more statements
};

// The schema this build knows, oldest step first.
const std::vector<Migration>& schema_migrations();
int latest_schema_version();

int schema_version(sqlite::Database& db);

// Brings `db` up to the last step of `steps`. Throws StorageError when the file is newer
// than `steps` knows (an older server must not write to a schema it does not understand),
// or when a step fails; that step is rolled back and earlier steps stay applied.
void migrate(sqlite::Database& db, std::span<const Migration> steps);
inline void migrate(sqlite::Database& db) { migrate(db, schema_migrations()); }

}  // namespace harmonic::storage
