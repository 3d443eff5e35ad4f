// Thin RAII owners for libpq: one connection with its prepared statements, a query result
// and a transaction guard. Every failure becomes a StorageError that names what was being
// done and PostgreSQL's own message and SQLSTATE; the SQLSTATE decides its class
// (classify() below): a full or failing disk (out_of_space), a lost connection
// (ConnectionLost), or anything else.
//
// Why libpq and not libpqxx: the C API is the one stable ABI Debian ships for every
// compiler, it hands over the SQLSTATE as is (libpqxx maps it onto its own exception tree,
// which would be mapped again onto StorageError here), and its asynchronous calls
// (PQsendQueryPrepared, PQconsumeInput on the socket) are what a commit that never blocks
// the event loop will be built on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/errors.hpp"

struct pg_conn;
struct pg_result;

namespace harmonic::storage::pg {

// What a failed statement's SQLSTATE means to the store.
enum class Failure {
  other,
  out_of_space,           // 53100 disk_full, 53000 insufficient_resources, 58030 io_error
  connection_lost,        // class 08, 57P01..57P03 (the server is shutting down or starting)
  unique_violation,       // 23505
  foreign_key_violation,  // 23503
};
Failure classify(std::string_view sqlstate);

// A failure reported by PostgreSQL, with its SQLSTATE.
class PgError : public StorageError {
 public:
  PgError(const std::string& message, std::string sqlstate)
      : StorageError(message, classify(sqlstate) == Failure::out_of_space), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }
  Failure failure() const { return classify(sqlstate_); }

 private:
  std::string sqlstate_;
};

// True when `text` may be sent as a PostgreSQL text value: valid UTF-8 without NUL bytes.
// The store checks its inputs with it first, since a refused value would otherwise abort
// the whole open transaction (the group commit batch of everybody else's changes).
bool is_storable_text(std::string_view text);

// A query's rows, text format. Row and column indexes are 0-based.
class Result {
 public:
  explicit Result(pg_result* result) : result_(result) {}
  ~Result();
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  std::int64_t affected() const;  // rows touched by INSERT/UPDATE/DELETE
  bool is_null(int row, int column) const;
  std::string text(int row, int column) const;
  std::optional<std::string> optional_text(int row, int column) const;  // nullopt for NULL
  std::int64_t int64(int row, int column) const;
  bool boolean(int row, int column) const;

 private:
  pg_result* result_;
};

using Params = std::vector<std::optional<std::string>>;  // nullopt is NULL

// One connection, used from one thread. `setup` runs after every (re)connect, before
// anything else (e.g. SET search_path).
class Connection {
 public:
  Connection(std::string conninfo, std::string setup);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement, prepared on first use and kept (the core runs the same dozen for
  // every event). After a lost connection the next call reconnects first; the call that
  // found the connection lost throws ConnectionLost.
  Result query(const std::string& sql, const Params& params = {});
  // Runs one or more statements without parameters (DDL, transaction control).
  void exec(const std::string& sql);

  bool in_transaction() const;  // between BEGIN and COMMIT/ROLLBACK, failed or not
  bool transaction_failed() const;
  // Out of space from a failed statement until a transaction commits again.
  bool out_of_space() const { return out_of_space_; }
  void committed() { out_of_space_ = false; }
  std::string quote_identifier(const std::string& name) const;

 private:
  void connect();
  void ensure_connected();
  Result check(pg_result* result, std::string_view what);

  std::string conninfo_;
  std::string setup_;
  pg_conn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  bool out_of_space_ = false;
};

// Makes a group of statements atomic: BEGIN ... COMMIT outside a transaction, a SAVEPOINT
// inside one (a WriteBatch), so that a failing group undoes itself and leaves the
// enclosing transaction usable. Destruction without commit() rolls the group back.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  bool nested_;
  bool open_ = true;
};

}  // namespace harmonic::storage::pg
