// Checkpoints the write-ahead log from a thread of its own. In WAL mode with
// synchronous=NORMAL a commit only appends to the WAL; the fsyncs happen when the WAL is
// copied back into the database (a checkpoint), and SQLite does that inside whichever
// commit crosses the threshold: on the server's one I/O thread, stalling every
// connection for a few milliseconds. Here the store's connection reports the WAL's size
// after each commit (sqlite3_wal_hook, which also turns auto-checkpointing off) and a
// second connection checkpoints (PASSIVE: never blocks the writer) on its own thread.
// Durability is unchanged: what was committed is in the WAL either way.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace harmonic::storage {

class WalCheckpointer {
 public:
  // Hooks `writer` (the store's connection) and starts the thread; `path` is its file.
  WalCheckpointer(sqlite3* writer, std::string path, int threshold_pages = 1000);
  ~WalCheckpointer();  // stops the thread; the writer's own close checkpoints the rest
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void run();
  static void checkpoint_until_caught_up(sqlite3* db);

  sqlite3* writer_;
  std::string path_;
  int threshold_pages_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace harmonic::storage
