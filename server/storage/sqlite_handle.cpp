#include "storage/sqlite_handle.hpp"

#include <sqlite3.h>

#include <utility>

namespace harmonic::storage::sqlite {

bool means_out_of_space(int extended_code) {
  const int primary = extended_code & 0xff;
  return primary == SQLITE_FULL || primary == SQLITE_IOERR;
}

void throw_error(sqlite3* db, int result_code, std::string_view what) {
  const int code = db != nullptr ? sqlite3_extended_errcode(db) : result_code;
  std::string message(what);
  message += ": ";
  // sqlite3_errmsg describes the most recent failure on the connection, which is richer
  // (e.g. names the violated constraint); fall back to the generic text for the code.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result_code);
  message += " (code " + std::to_string(code) + ")";
  throw SqliteError(message, code);
}

// --- Database ---

Database::Database(const std::string& path) {
  // NOMUTEX: every connection is used by one thread only (the store's by the I/O thread,
  // the checkpointer's by its own), so SQLite's per-call locking would buy nothing.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    // sqlite3_open_v2 returns a handle even on failure (unless out of memory); it must be
    // closed, and its message read first.
    std::string message = "cannot open database '" + path + "': " +
                          (db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError(message);
  }
  // Extended codes tell a UNIQUE violation from a FOREIGN KEY one.
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
  // sqlite3_close_v2 defers the close until every statement is finalized, so the order in
  // which the owner destroys its members cannot leak the handle.
  sqlite3_close_v2(db_);
}

void Database::exec(const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = "executing '" + sql.substr(0, 80) + "': " + (error != nullptr ? error : sqlite3_errstr(rc)) +
                          " (code " + std::to_string(rc) + ")";
    sqlite3_free(error);
    health_.failed(rc);
    throw StorageError(message, means_out_of_space(rc));
  }
}

void Database::exec_prepared(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) it = prepared_.emplace(sql, std::make_unique<Statement>(db_, sql, &health_)).first;
  Statement& statement = *it->second;
  try {
    statement.run();
  } catch (...) {
    statement.reset();
    throw;
  }
  statement.reset();
}

bool Database::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::optional<std::string> Database::query_text(const std::string& sql) {
  Statement statement(db_, sql, &health_);
  if (!statement.step()) {
    return std::nullopt;
  }
  return statement.optional_text(0);
}

std::int64_t Database::query_int(const std::string& sql) {
  Statement statement(db_, sql, &health_);
  if (!statement.step()) {
    throw StorageError("query returned no row: " + sql);
  }
  return statement.int64(0);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

// --- Statement ---

Statement::Statement(sqlite3* db, std::string_view sql, WriteHealth* health)
    : db_(db), sql_(sql), health_(health), commits_(sql.starts_with("COMMIT") || sql.starts_with("END")) {
  const int rc = sqlite3_prepare_v3(db_, sql_.data(), static_cast<int>(sql_.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    throw_error(db_, rc, "preparing '" + sql_ + "'");
  }
  if (stmt_ == nullptr) {
    throw StorageError("preparing '" + sql_ + "': no statement in the text");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      sql_(std::move(other.sql_)),
      health_(other.health_),
      commits_(other.commits_) {}

namespace {
void check_bind(sqlite3* db, int rc, const std::string& sql) {
  if (rc != SQLITE_OK) {
    throw_error(db, rc, "binding a parameter of '" + sql + "'");
  }
}
}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(db_, sqlite3_bind_int64(stmt_, index, value), sql_);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so the caller's string may die before step().
  check_bind(db_, sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8), sql_);
  return *this;
}

Statement& Statement::bind_optional(int index, const std::optional<std::string>& text) {
  return text ? bind(index, std::string_view(*text)) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
  check_bind(db_, sqlite3_bind_null(stmt_, index), sql_);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    // Outside a transaction now: a change made here, or the COMMIT just run, is stored.
    if (health_ && sqlite3_get_autocommit(db_) != 0 && (commits_ || sqlite3_stmt_readonly(stmt_) == 0)) {
      health_->committed();
    }
    return false;
  }
  if (health_) health_->failed(sqlite3_extended_errcode(db_));
  throw_error(db_, rc, "running '" + sql_ + "'");
}

void Statement::run() {
  if (step()) {
    throw StorageError("statement unexpectedly returned rows: " + sql_);
  }
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);  // after column_text, as SQLite advises
  return bytes != nullptr ? std::string(bytes, static_cast<std::size_t>(size)) : std::string();
}

std::optional<std::string> Statement::optional_text(int column) const {
  if (is_null(column)) {
    return std::nullopt;
  }
  return text(column);
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// --- Transaction ---

Transaction::Transaction(Database& db) : db_(db), nested_(db.in_transaction()) {
  db_.exec_prepared(nested_ ? "SAVEPOINT harmonic_change" : "BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!open_) return;
  // Errors here cannot be reported (we may be unwinding); SQLite rolls back by itself
  // when a ROLLBACK is impossible, e.g. after an I/O error already ended the transaction.
  if (nested_) {
    sqlite3_exec(db_.get(), "ROLLBACK TO harmonic_change; RELEASE harmonic_change", nullptr, nullptr, nullptr);
  } else {
    sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec_prepared(nested_ ? "RELEASE harmonic_change" : "COMMIT");
  open_ = false;
}

}  // namespace harmonic::storage::sqlite
