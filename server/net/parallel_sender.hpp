// Writes many sockets' pending bytes in one go, on the calling thread and, for a large
// batch, on one helper thread at the same time.
//
// Why: a broadcast to a big room is one send() per member, and each costs microseconds
// of kernel time (the TCP transmit path, plus the receiver's wakeup on loopback). With a
// thousand members that is milliseconds before the last one hears anything. The core
// stays single-threaded; only these system calls move to a second core:
//   - send_all() shares a large batch between the caller and the helper and returns when
//     both are done: the last member of a big room hears about twice as soon;
//   - send_in_background() gives a batch to the helper alone and returns at once: under
//     load the event loop goes on reading and applying changes while the helper writes.
// Small batches (a room of ten) stay on the calling thread, where handing over would
// cost more than it saves.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

namespace harmonic::net {

class ParallelSender {
 public:
  struct Job {
    int fd = -1;
    const char* data = nullptr;
    std::size_t size = 0;
    std::size_t sent = 0;  // out: bytes the kernel took (less than size: the socket is full)
    int error = 0;         // out: errno of a failed send, 0 otherwise
  };

  // helper_threads: 0 sends everything on the calling thread; 1 adds the helper.
  // send_all() shares batches of min_batch_to_share jobs or more with the helper.
  explicit ParallelSender(int helper_threads, std::size_t min_batch_to_share = 512);
  ~ParallelSender();
  ParallelSender(const ParallelSender&) = delete;
  ParallelSender& operator=(const ParallelSender&) = delete;

  // Returns when every job is done (fully sent, stopped at a full socket, or failed).
  // Never blocks on a socket: each send is non-blocking.
  void send_all(std::span<Job> jobs);

  bool has_helper() const { return helper_.joinable(); }
  // Whether send_all() would share a batch of `jobs` with the helper.
  bool would_share(std::size_t jobs) const { return has_helper() && jobs >= min_batch_to_share_; }
  // Needs a helper. Returns at once; the helper sends the jobs in the order batches were
  // given and then calls `done` with them, on its own thread. The caller must keep every
  // job's socket open and its bytes unchanged until then.
  using Done = std::function<void(std::vector<Job>&)>;
  void send_in_background(std::vector<Job> jobs, Done done);
  // No background batch queued or being sent: the helper could share a batch right away.
  bool helper_idle();

  // How many batches were shared with the helper (for tests).
  std::uint64_t shared_batches() const { return shared_batches_; }

 private:
  static void send_one(Job& job);
  void drain();  // takes chunks of the current batch until none are left
  void helper_loop();

  std::size_t min_batch_to_share_;
  std::span<Job> batch_;
  std::atomic<std::size_t> next_{0};
  std::mutex mutex_;
  std::condition_variable wake_helper_;
  std::condition_variable helper_done_;
  std::uint64_t generation_ = 0;          // batches handed out
  std::uint64_t helper_generation_ = 0;   // the last batch the helper looked at
  bool helper_working_ = false;
  bool stopping_ = false;
  struct BackgroundBatch {
    std::vector<Job> jobs;
    Done done;
  };
  std::deque<BackgroundBatch> background_;
  bool sending_background_ = false;
  std::uint64_t shared_batches_ = 0;
  std::thread helper_;
};

}  // namespace harmonic::net
