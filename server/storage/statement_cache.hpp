// Prepared statements, compiled once per connection and reused: the realtime core runs
// the same dozen queries for every event, and parsing SQL each time would dominate.
//
// Usage:  auto q = cache.use("SELECT ... WHERE id = ?1");  q->bind(1, id);  while (q->step()) ...
// The lease resets the statement when it goes out of scope, so no statement is ever left
// holding a read transaction open.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "storage/sqlite_handle.hpp"

namespace harmonic::storage::sqlite {

class StatementCache {
 public:
  explicit StatementCache(Database& db) : db_(db) {}

  class Lease {
   public:
    Lease(Statement& statement, bool& in_use) : statement_(&statement), in_use_(&in_use) {}
    ~Lease() {
      statement_->reset();
      *in_use_ = false;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Statement* operator->() const { return statement_; }
    Statement& operator*() const { return *statement_; }

   private:
    Statement* statement_;
    bool* in_use_;
  };

  // Throws StorageError if the same statement is already leased: running it again while a
  // caller is still stepping through it would silently reset that caller's rows.
  Lease use(const std::string& sql);

 private:
  struct Entry {
    Statement statement;
    bool in_use = false;
  };
  Database& db_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

}  // namespace harmonic::storage::sqlite
