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

// While it lives, the store's commits run off the event loop and report back through
// `post` (PostgreSQL; SQLite commits in place: docs/cluster.md, "Commits off the event
// loop"). Made after the io_context, so it is gone, the commits in flight waited for,
// before the io_context their completions are posted to.
class CommitsOffTheLoop {
 public:
  CommitsOffTheLoop(storage::Store& store, storage::WriteBatch::Post post);
  ~CommitsOffTheLoop();
  CommitsOffTheLoop(const CommitsOffTheLoop&) = delete;
  CommitsOffTheLoop& operator=(const CommitsOffTheLoop&) = delete;

 private:
  storage::Store& store_;
};

}  // namespace harmonic::app
