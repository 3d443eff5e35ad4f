// Group commit, as seen by the realtime core. Committing one transaction per change costs
// a WAL append and a commit record each (~100 µs); committing every change of one
// event-loop turn together costs that once. Between begin_batch() and commit_batch() the
// changes are applied and visible on this connection but not yet durable, so whoever
// opened the batch must not tell anybody about them until commit_batch() has returned.
#pragma once

namespace harmonic::storage {

class WriteBatch {
 public:
  virtual ~WriteBatch() = default;
  // Opens a batch. Mutating calls that follow are still atomic one by one (a call that
  // fails leaves the batch as it was before that call).
  virtual void begin_batch() = 0;
  // Makes everything since begin_batch() durable. Throws StorageError when it cannot; the
  // batch is then rolled back, so none of it is stored.
  virtual void commit_batch() = 0;
  // Forgets everything since begin_batch().
  virtual void rollback_batch() noexcept = 0;
  virtual bool batch_open() const = 0;
};

}  // namespace harmonic::storage
