// One thread that runs jobs one at a time, in the order they were submitted: the
// PostgreSQL store's COMMITs, so that the event loop never waits for one (docs/cluster.md,
// "Commits off the event loop"). In order, because the completions it posts back must
// reach the loop in the order the batches were handed over (group_commit.hpp).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace harmonic::storage {

class CommitThread {
 public:
  CommitThread();
  // Runs every job submitted so far, then joins the thread.
  ~CommitThread();
  CommitThread(const CommitThread&) = delete;
  CommitThread& operator=(const CommitThread&) = delete;

  // Queues `job`; it must not throw.
  void submit(std::function<void()> job);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest is ready
};

}  // namespace harmonic::storage
