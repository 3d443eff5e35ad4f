// The exceptions the storage layer throws. Every failure of a Store is a StorageError, so
// a caller that only wants "did it work" catches one type; UniverseNotFound is the one
// case the realtime core answers differently (invalid_universe rather than server_error).
#pragma once

#include <stdexcept>
#include <string>

namespace harmonic::storage {

class StorageError : public std::runtime_error {
 public:
  explicit StorageError(const std::string& message) : std::runtime_error(message) {}
};

// A change named a universe that does not exist (or was deleted meanwhile). Nothing of the
// change was applied.
class UniverseNotFound : public StorageError {
 public:
  explicit UniverseNotFound(const std::string& universe_id);
};

}  // namespace harmonic::storage
