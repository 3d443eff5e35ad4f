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
class SqliteError : public StorageError {
 public:
  SqliteError(const std::string& message, int extended_code) : StorageError(message), code_(extended_code) {}
  int extended_code() const { return code_; }

 private:
  int code_;
};

// Throws SqliteError("<what>: <sqlite message> (code N)").
[[noreturn]] void throw_error(sqlite3* db, int result_code, std::string_view what);

class Statement;

// One open connection. Opens read-write and creates the file if missing; ":memory:" gives
// a private in-memory database.
class Database {
 public:
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* get() const { return db_; }

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
  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows touched by the last INSERT/UPDATE/DELETE

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> prepared_;  // finalized before the close completes
};

// One prepared statement. Bind indexes are 1-based and column indexes 0-based, as in SQLite.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
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
