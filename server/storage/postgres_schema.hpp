// The versioned PostgreSQL schema. The version lives in the one-row table
// harmonic_schema. Each step runs in its own transaction together with its version bump
// (DDL is transactional in PostgreSQL), under an advisory lock, so several nodes starting
// at once migrate once and a failed step leaves the previous version.
//
// Version 1 is the schema of SQLite version 5 (migrations.cpp) in PostgreSQL types, plus
// universes.last_seq: the per-universe history counter, whose row lock orders commits.
// To change the schema, append a step here and to migrations.cpp; never edit a shipped one.
#pragma once

#include <span>
#include <vector>

#include "storage/migrations.hpp"  // Migration
#include "storage/postgres_connection.hpp"

namespace harmonic::storage {

const std::vector<Migration>& postgres_schema_migrations();

int postgres_schema_version(pg::Connection& connection);

// Brings the database up to the last step of `steps`. Throws StorageError when it is newer
// than `steps` knows, or when a step fails (that step is rolled back).
void migrate_postgres(pg::Connection& connection, std::span<const Migration> steps);
inline void migrate_postgres(pg::Connection& connection) { migrate_postgres(connection, postgres_schema_migrations()); }

}  // namespace harmonic::storage
