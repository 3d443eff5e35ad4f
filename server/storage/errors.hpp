// The exceptions the storage layer throws. Every failure of a Store is a StorageError, so
// a caller that only wants "did it work" catches one type; UniverseNotFound is the one
// case the realtime core answers differently (invalid_universe rather than server_error).
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace harmonic::storage {

class StorageError : public std::runtime_error {
 public:
  explicit StorageError(const std::string& message, bool out_of_space = false)
      : std::runtime_error(message), out_of_space_(out_of_space) {}
  // The disk is full or failing (SQLite: SQLITE_FULL, SQLITE_IOERR): nothing more can be
  // written until that changes, while reads may well still work. Callers answer writes
  // with server_error, reason "disk_full" (docs/operations.md, "Disk full").
  bool out_of_space() const { return out_of_space_; }

 private:
  bool out_of_space_;
};

// A change named a universe that does not exist (or was deleted meanwhile). Nothing of the
// change was applied.
class UniverseNotFound : public StorageError {
 public:
  explicit UniverseNotFound(const std::string& universe_id);
};

// The database server could not be reached, or the connection to it broke (PostgreSQL:
// SQLSTATE class 08, an administrator shutdown, a dead socket). Unlike out_of_space this
// says nothing about the data: whatever the call was doing is not stored, and the next call
// reconnects. An embedded SQLite store never throws it.
class ConnectionLost : public StorageError {
 public:
  explicit ConnectionLost(const std::string& message) : StorageError(message) {}
};

// UniverseChange::expected_parameters did not match the committed values (compare-and-set
// lost; docs/protocol.md, parameter:delta). Nothing of the change was applied. `current`
// holds, per category, the committed value of every parameter that differed (null when
// there is none).
class ParameterConflict : public StorageError {
 public:
  explicit ParameterConflict(nlohmann::json current)
      : StorageError("the parameters changed meanwhile"), current_(std::move(current)) {}
  const nlohmann::json& current() const { return current_; }

 private:
  nlohmann::json current_;
};

}  // namespace harmonic::storage
