// The exceptions the storage layer throws. Every failure of a Store is a StorageError, so
// a caller that only wants "did it work" catches one type; UniverseNotFound is the one
// case the realtime core answers differently (invalid_universe rather than server_error).
#pragma once

#include <stdexcept>
#include <string>

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

}  // namespace harmonic::storage
