#include "storage/migrations.hpp"

#include <string>

namespace harmonic::storage {

namespace {

// Version 1: the tables. Ids are INTEGER PRIMARY KEY; AUTOINCREMENT where an id is shown
// to clients (users, universes, messages), so a deleted universe's id is never handed to a
// new one and a stale client reference cannot land in someone else's universe.
constexpr const char* kCreateTables = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email         TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE universes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  is_public   INTEGER NOT NULL DEFAULT 0 CHECK (is_public IN (0, 1)),
  seed        INTEGER NOT NULL,  -- the uint64 seed stored bit for bit in a signed column
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE collaborators (
  universe_id INTEGER NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (universe_id, user_id)
) WITHOUT ROWID;

-- One row per (universe, category); values_json is the whole category as a JSON object.
CREATE TABLE universe_parameters (
  universe_id INTEGER NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  category    TEXT NOT NULL,
  values_json TEXT NOT NULL,
  PRIMARY KEY (universe_id, category)
) WITHOUT ROWID;

-- The per-universe log of applied changes; seq is 1, 2, 3, ... within a universe.
CREATE TABLE history (
  id           INTEGER PRIMARY KEY,
  universe_id  INTEGER NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  timestamp    INTEGER NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  category     TEXT,
  changes_json TEXT NOT NULL,
  UNIQUE (universe_id, seq)
);

CREATE TABLE messages (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  universe_id INTEGER NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  message     TEXT NOT NULL,
  timestamp   INTEGER NOT NULL
);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Version 2: indexes for the reads the server does on every join and sync, and for the
// foreign keys (without them ON DELETE CASCADE scans whole tables).
constexpr const char* kCreateIndexes = R"sql(
CREATE INDEX universes_by_owner     ON universes(owner_id);
CREATE INDEX universes_public       ON universes(created_at) WHERE is_public = 1;
CREATE INDEX collaborators_by_user  ON collaborators(user_id);
CREATE INDEX history_by_time        ON history(universe_id, timestamp);
CREATE INDEX history_by_user        ON history(user_id);
CREATE INDEX messages_by_universe   ON messages(universe_id, id);
CREATE INDEX messages_by_time       ON messages(universe_id, timestamp);
CREATE INDEX messages_by_user       ON messages(user_id);
)sql";

// Version 3: history is keyed by (universe_id, seq) itself, WITHOUT ROWID. Every
// parameter change appends a row, and this was the costliest write of it: a rowid
// table plus three indexes. Now it is one B-tree keyed the way history is read, plus the
// timestamp index that state:sync needs. The index on user_id is not kept: it only served
// ON DELETE CASCADE for users, and no user is ever deleted; if that comes, such a
// delete scans history once instead of every change paying for the index.
constexpr const char* kHistoryByUniverseAndSeq = R"sql(
CREATE TABLE history_v3 (
  universe_id  INTEGER NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
  seq          INTEGER NOT NULL,
  timestamp    INTEGER NOT NULL,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,
  category     TEXT,
  changes_json TEXT NOT NULL,
  PRIMARY KEY (universe_id, seq)
) WITHOUT ROWID;
INSERT INTO history_v3 (universe_id, seq, timestamp, user_id, kind, category, changes_json)
  SELECT universe_id, seq, timestamp, user_id, kind, category, changes_json FROM history;
DROP TABLE history;
ALTER TABLE history_v3 RENAME TO history;
CREATE INDEX history_by_time ON history(universe_id, timestamp);
)sql";

// Version 4: tokens can be taken back. A signed token stays valid until it expires unless
// the server remembers otherwise:
//  - revoked_tokens holds the ids (`jti`) of tokens ended early (logout). A row is kept
//    only until the token would have expired anyway (expires_at, ms), after which the
//    signature check alone refuses it, so the table holds no more than the tokens revoked
//    within one token lifetime.
//  - users.token_generation is written into every token (`gen`); a password change bumps
//    it, which ends every token of that user at once without listing them.
constexpr const char* kTokenRevocation = R"sql(
ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE revoked_tokens (
  token_id   TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at);
)sql";

// Version 5: universe lists are pages newest first by id (list_universes_visible_to), read
// from three index-ordered sources: own (universes_by_owner), shared (collaborators_by_user)
// and public, which needs its own ordering by id to read only one page of it; the old
// index on created_at served the unpaged list only.
constexpr const char* kPublicUniversesById = R"sql(
CREATE INDEX universes_public_by_id ON universes(id) WHERE is_public = 1;
DROP INDEX universes_public;
)sql";

}  // namespace

const std::vector<Migration>& schema_migrations() {
  static const std::vector<Migration> steps = {
      {1, "create tables", kCreateTables},
      {2, "add indexes for joins, syncs and cascades", kCreateIndexes},
      {3, "key history by (universe_id, seq)", kHistoryByUniverseAndSeq},
      {4, "revocable tokens: revoked_tokens and users.token_generation", kTokenRevocation},
      {5, "public universes indexed by id for paged lists", kPublicUniversesById},
  };
  return steps;
}

int latest_schema_version() { return schema_migrations().back().version; }

int schema_version(sqlite::Database& db) { return static_cast<int>(db.query_int("PRAGMA user_version")); }

void migrate(sqlite::Database& db, std::span<const Migration> steps) {
  const int known = steps.empty() ? 0 : steps.back().version;
  const int current = schema_version(db);
  if (current > known) {
    throw StorageError("database schema version " + std::to_string(current) +
                       " is newer than this server supports (" + std::to_string(known) +
                       "); refusing to open it. Run a newer harmonic-server or restore a backup.");
  }
  for (const Migration& step : steps) {
    if (step.version <= current) {
      continue;
    }
    sqlite::Transaction transaction(db);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    if (schema_version(db) >= step.version) {
      continue;
    }
    try {
      db.exec(step.sql);
    } catch (const StorageError& error) {
      throw StorageError("schema migration " + std::to_string(step.version) + " (" + step.description +
                         ") failed: " + error.what());
    }
    // PRAGMA user_version is written in the same transaction, so it commits or rolls back
    // together with the step. PRAGMA arguments cannot be bound, hence the formatting.
    db.exec("PRAGMA user_version = " + std::to_string(step.version));
    transaction.commit();
  }
}

}  // namespace harmonic::storage
