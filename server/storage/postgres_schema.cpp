#include "storage/postgres_schema.hpp"

#include <string>

namespace harmonic::storage {

namespace {

// Version 1. Ids are identity columns: a sequence never hands out an id twice, so a deleted
// universe's id never names a new one (SQLite's AUTOINCREMENT). JSON is kept as text, byte
// for byte as written (jsonb would reorder keys and refuse "\u0000"). Usernames are unique
// without regard to ASCII case, like SQLite's COLLATE NOCASE: lower() under the "C"
// collation folds A-Z only.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE users (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username         text NOT NULL,
  email            text NOT NULL DEFAULT '',
  password_hash    text NOT NULL,
  created_at       bigint NOT NULL,
  token_generation bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX users_by_folded_name ON users (lower(username COLLATE "C"));

CREATE TABLE universes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  is_public   boolean NOT NULL DEFAULT false,
  seed        bigint NOT NULL,  -- the uint64 seed stored bit for bit in a signed column
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  last_seq    bigint NOT NULL DEFAULT 0  -- the newest history seq; bumped under the row lock
);
CREATE INDEX universes_by_owner ON universes(owner_id, id);
CREATE INDEX universes_public_by_id ON universes(id) WHERE is_public;

CREATE TABLE collaborators (
  universe_id bigint NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (universe_id, user_id)
);
CREATE INDEX collaborators_by_user ON collaborators(user_id, universe_id);

CREATE TABLE universe_parameters (
  universe_id bigint NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  category    text NOT NULL,
  values_json text NOT NULL,
  PRIMARY KEY (universe_id, category)
);

CREATE TABLE history (
  universe_id  bigint NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  seq          bigint NOT NULL,
  timestamp    bigint NOT NULL,
  user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         text NOT NULL,
  category     text,
  changes_json text NOT NULL,
  PRIMARY KEY (universe_id, seq)
);
CREATE INDEX history_by_time ON history(universe_id, timestamp);

CREATE TABLE messages (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  universe_id bigint NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  message     text NOT NULL,
  timestamp   bigint NOT NULL
);
CREATE INDEX messages_by_universe ON messages(universe_id, id);
CREATE INDEX messages_by_time     ON messages(universe_id, timestamp);
CREATE INDEX messages_by_user     ON messages(user_id);

CREATE TABLE settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE revoked_tokens (
  token_id   text PRIMARY KEY,
  expires_at bigint NOT NULL
);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at);
)sql";

// Any constant: the advisory lock that serialises migrations between nodes.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7236591040)";
constexpr const char* kVersionTable =
    "CREATE TABLE IF NOT EXISTS harmonic_schema (version integer NOT NULL);"
    "INSERT INTO harmonic_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM harmonic_schema)";

}  // namespace

const std::vector<Migration>& postgres_schema_migrations() {
  static const std::vector<Migration> steps = {
      {1, "create tables and indexes (SQLite schema 5)", kVersion1},
  };
  return steps;
}

int postgres_schema_version(pg::Connection& connection) {
  auto exists = connection.query("SELECT to_regclass('harmonic_schema') IS NOT NULL");
  if (!exists.boolean(0, 0)) return 0;
  auto version = connection.query("SELECT version FROM harmonic_schema");
  return version.rows() == 0 ? 0 : static_cast<int>(version.int64(0, 0));
}

void migrate_postgres(pg::Connection& connection, std::span<const Migration> steps) {
  const int known = steps.empty() ? 0 : steps.back().version;
  for (;;) {
    pg::Transaction transaction(connection);
    connection.exec(kMigrationLock);
    connection.exec(kVersionTable);
    const int current = postgres_schema_version(connection);
    if (current > known) {
      throw StorageError("database schema version " + std::to_string(current) +
                         " is newer than this server supports (" + std::to_string(known) +
                         "); refusing to open it. Run a newer harmonic-server or restore a backup.");
    }
    const Migration* next = nullptr;
    for (const auto& step : steps) {
      if (step.version > current) {
        next = &step;
        break;
      }
    }
    if (next == nullptr) {
      transaction.commit();
      return;
    }
    try {
      connection.exec(next->sql);
    } catch (const StorageError& error) {
      throw StorageError("schema migration " + std::to_string(next->version) + " (" + next->description +
                         ") failed: " + error.what());
    }
    connection.query("UPDATE harmonic_schema SET version = $1", {std::to_string(next->version)});
    transaction.commit();
  }
}

}  // namespace harmonic::storage
