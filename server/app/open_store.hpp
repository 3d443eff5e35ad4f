// Which Store the server runs on: the SQLite file in --data-dir (the default), or
// PostgreSQL with --postgres (docs/operations.md, "PostgreSQL store").
#pragma once

#include <memory>

#include "app/options.hpp"
#include "storage/store.hpp"

namespace harmonic::app {

// Opens and migrates the store the options choose, logging what it had to fix. Throws
// StorageError when it cannot (including --postgres in a build without PostgreSQL).
std::unique_ptr<storage::Store> open_store(const ServerOptions& options);

}  // namespace harmonic::app
