// Group commit, as seen by the realtime core. Committing one transaction per change costs
// a WAL append and a commit record each (~100 µs); committing every change of one
// event-loop turn together costs that once. Between begin_batch() and commit_batch() the
// changes are applied and visible on this connection but not yet durable, so whoever
// opened the batch must not tell anybody about them until commit_batch() has returned.
#pragma once

#include <exception>
#include <functional>

namespace harmonic::storage {

class WriteBatch {
 public:
  // Told when a batch handed to commit_batch_async() is durable (nullptr) or is not
  // (the exception, normally a StorageError; the batch was then rolled back).
  using CommitDone = std::function<void(std::exception_ptr failure)>;
  // Runs a job on the event loop's thread (boost::asio::post onto it).
  using Post = std::function<void(std::function<void()> job)>;

  virtual ~WriteBatch() = default;
  // Opens a batch. Mutating calls that follow are still atomic one by one (a call that
  // fails leaves the batch as it was before that call).
  virtual void begin_batch() = 0;
  // Makes everything since begin_batch() durable. Throws StorageError when it cannot; the
  // batch is then rolled back, so none of it is stored.
  virtual void commit_batch() = 0;
  // The same without waiting where the store can (docs/cluster.md, "Commits off the event
  // loop"): `done` runs on the loop once the COMMIT returned, and the batches handed over
  // are told in the order they were handed over. A store that cannot (SQLite, whose commit
  // is a local WAL append) commits here and calls `done` before returning. A new batch may
  // be begun as soon as this returns.
  virtual void commit_batch_async(CommitDone done) {
    try {
      commit_batch();
    } catch (...) {
      done(std::current_exception());
      return;
    }
    done(nullptr);
  }
  // From now on commit_batch_async() runs COMMITs on a thread of the store's own and
  // brings `done` back to the loop with `post`. An empty `post` waits for the COMMITs
  // handed over (their `done` is still posted) and makes commits synchronous again. A
  // store without such a thread ignores it.
  virtual void commit_off_the_loop(Post /*post*/) {}
  // Forgets everything since begin_batch().
  virtual void rollback_batch() noexcept = 0;
  virtual bool batch_open() const = 0;
};

}  // namespace harmonic::storage
