#include "storage/wal_checkpointer.hpp"

#include <sqlite3.h>

namespace harmonic::storage {

namespace {
// Far behind (the thread cannot keep up, or its connection failed): the writer
// checkpoints itself, as SQLite would have, so the WAL cannot grow without bound.
constexpr int behind_factor = 8;
}  // namespace

WalCheckpointer::WalCheckpointer(sqlite3* writer, std::string path, int threshold_pages)
    : writer_(writer), path_(std::move(path)), threshold_pages_(threshold_pages) {
  sqlite3_wal_hook(writer_, &WalCheckpointer::on_commit, this);
  thread_ = std::thread([this] { run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  sqlite3_wal_autocheckpoint(writer_, threshold_pages_);
}

int WalCheckpointer::on_commit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  auto& checkpointer = *static_cast<WalCheckpointer*>(self);
  if (wal_pages >= checkpointer.threshold_pages_ * behind_factor) {
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (wal_pages >= checkpointer.threshold_pages_) {
    {
      std::lock_guard lock(checkpointer.mutex_);
      checkpointer.due_ = true;
    }
    checkpointer.wake_.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::checkpoint_until_caught_up(sqlite3* db) {
  // The writer keeps appending while a pass copies, so one pass ends a little behind, and
  // SQLite only starts the WAL over from its beginning once a checkpoint has copied all of
  // it. Without catching up the WAL would only grow until the writer had to checkpoint on
  // its own thread. Later passes copy only what arrived meanwhile, so they are short.
  for (int pass = 0; pass < 4; ++pass) {
    int log_frames = 0;
    int copied_frames = 0;
    if (sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied_frames) != SQLITE_OK)
      return;
    if (copied_frames >= log_frames) return;
  }
}

void WalCheckpointer::run() {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    db = nullptr;  // the writer's fallback above keeps the WAL bounded
  } else {
    sqlite3_busy_timeout(db, 1000);
    // A new connection learns that the file is in WAL mode only when it first reads it;
    // until then every checkpoint call is a silent no-op (SQLITE_OK, log size -1).
    sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", nullptr, nullptr, nullptr);
  }
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return due_ || stopping_; });
    if (stopping_) break;
    due_ = false;
    lock.unlock();
    if (db) checkpoint_until_caught_up(db);
    lock.lock();
  }
  sqlite3_close(db);
}

}  // namespace harmonic::storage
