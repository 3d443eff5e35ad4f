// Thin RAII owners for the SQLite C API: a connection, a prepared statement and a
// transaction guard. Every SQLite failure becomes a StorageError that names what was being
// done and SQLite's own message, so a log line is enough to diagnose it.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>

#include "storage/errors.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace harmonic::storage::sqlite {

// A failure reported by SQLite, with its extended result code so the store can tell, e.g.,
// a UNIQUE violation (a taken username) from a real failure.
// True for the result codes that mean the disk is full or failing (SQLITE_FULL, every
// SQLITE_IOERR_*): StorageError::out_of_space().
bool means_out_of_space(int extended_code);

class SqliteError : public StorageError {
 public:
  SqliteError(const std::string& message, int extended_code)
      : StorageError(message, means_out_of_space(extended_code)), code_(extended_code) {}
  int extended_code() const { return code_; }

 private:
  int code_;
};

// Throws SqliteError("<what>: <sqlite message> (code N)").
[[noreturn]] void throw_error(sqlite3* db, int result_code, std::string_view what);

class Statement;

// Whether this connection's writes reach the disk: out_of_space() from a failure that
// means a full or failing disk until the next write commits. A commit is a COMMIT, or a
// statement that changes the database run outside a transaction (its own transaction).
class WriteHealth {
 public:
  void committed() { out_of_space_ = false; }
  void failed(int extended_code) {
    if (means_out_of_space(extended_code)) out_of_space_ = true;
  }
  bool out_of_space() const { return out_of_space_; }

 private:
  bool out_of_space_ = false;
};

// One open connection. Opens read-write and creates the file if missing; ":memory:" gives
// a private in-memory database.
class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* get() const { return db_; }
  WriteHealth& health() { return health_; }

  // Runs one or more statements that return nothing of interest (DDL, PRAGMA setters).
  void exec(const std::string& sql);
  // Runs one statement that returns no rows, prepared on first use and kept: for the
  // transaction control (BEGIN, SAVEPOINT, RELEASE, COMMIT) that every change runs, which
  // exec() would parse anew each time.
  void exec_prepared(const std::string& sql);
  // Runs a statement and returns the first column of its first row, if any (PRAGMA getters).
  std::optional<std::string> query_text(const std::string& sql);
  std::int64_t query_int(const std::string& sql);

  // True between BEGIN and COMMIT/ROLLBACK (SQLite's autocommit mode is off).
  bool in_transaction() const;
  const WriteHealth& write_health() const { return health_; }
  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows touched by the last INSERT/UPDATE/DELETE

 private:
  sqlite3* db_ = nullptr;
  WriteHealth health_;  // before prepared_: statements report to it until they are finalized
  std::unordered_map<std::string, std::unique_ptr<Statement>> prepared_;  // finalized before the close completes
};

// One prepared statement. Bind indexes are 1-based and column indexes 0-based, as in SQLite.
class Statement {
 public:
  // With `health`, the statement reports its commits and failures there (Database's own
  // statements and the store's StatementCache do).
  Statement(sqlite3* db, std::string_view sql, WriteHealth* health = nullptr);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_optional(int index, const std::optional<std::string>& text);  // nullopt binds NULL
  Statement& bind_null(int index);

  // Advances to the next row: true when a row is available, false when done.
  bool step();
  // For statements that return no rows; throws if one does, since that hints at a bug.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string text(int column) const;
  std::optional<std::string> optional_text(int column) const;

  // Makes the statement reusable. A statement left mid-way holds a read transaction open
  // (and in WAL mode blocks checkpoints), so every use ends with this.
  void reset() noexcept;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;  // for error messages
  WriteHealth* health_ = nullptr;
  bool commits_ = false;  // COMMIT: ends a transaction without changing rows itself
};

// Makes a group of statements atomic. Outside a transaction it is BEGIN IMMEDIATE on
// construction and ROLLBACK on destruction unless commit() succeeded; IMMEDIATE takes the
// write lock up front so a transaction never fails half-way with SQLITE_BUSY on its first
// write (the busy_timeout applies to BEGIN instead). Inside an open transaction (a
// WriteBatch) it is a SAVEPOINT instead: commit() releases it into the outer transaction
// and destruction without commit() undoes just this group.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();

 private:
  Database& db_;
  bool nested_;
  bool open_ = true;
};

}  // namespace harmonic::storage::sqlite
