#include "storage/errors.hpp"

namespace harmonic::storage {

UniverseNotFound::UniverseNotFound(const std::string& universe_id)
    : StorageError("universe " + universe_id + " does not exist") {}

}  // namespace harmonic::storage
