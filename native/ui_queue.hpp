// Work handed from the network thread to the UI thread. The network thread pushes
// closures; the UI thread runs them all once per frame (drain), so every transport
// and HTTP callback runs on the frame thread, as shared/client/transport.hpp demands.
// A push wakes the UI thread's wait for its next frame (set_wake; docs/latency.md,
// "Frames on demand"), so an incoming event is handled in the next frame, at once.
// How long the oldest task of each drain waited is kept for the status file (the
// latency budget's "B: change applied" step, measured).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace harmonic::native {

class UiQueue {
 public:
  void push(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      if (tasks_.empty()) oldest_push_ = Clock::now();
      tasks_.push_back(std::move(task));
    }
    if (wake_) wake_();
  }

  // Called, on the pushing thread, after each push. Set before the network starts.
  void set_wake(void (*wake)()) { wake_ = wake; }

  // Runs what is queued now; tasks queued meanwhile wait for the next drain. Returns
  // how many ran.
  std::size_t drain() {
    std::vector<std::function<void()>> tasks;
    Clock::time_point oldest;
    {
      std::lock_guard lock(mutex_);
      tasks.swap(tasks_);
      oldest = oldest_push_;
    }
    if (!tasks.empty()) {
      last_wait_ms_ = std::chrono::duration<double, std::milli>(Clock::now() - oldest).count();
      ++drains_;
    }
    for (auto& task : tasks) task();
    return tasks.size();
  }

  // UI thread: drains that ran something, and how long the oldest task of the last one
  // waited between its push and the drain.
  std::uint64_t drains() const { return drains_; }
  double last_wait_ms() const { return last_wait_ms_; }

  bool empty() const {
    std::lock_guard lock(mutex_);
    return tasks_.empty();
  }

 private:
  using Clock = std::chrono::steady_clock;
  mutable std::mutex mutex_;
  std::vector<std::function<void()>> tasks_;
  Clock::time_point oldest_push_;
  std::uint64_t drains_ = 0;
  double last_wait_ms_ = 0;
  void (*wake_)() = nullptr;
};

}  // namespace harmonic::native
