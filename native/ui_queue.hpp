// Work handed from the network thread to the UI thread. The network thread pushes
// closures; the UI thread runs them all once per frame (drain), so every transport
// and HTTP callback runs on the frame thread, as shared/client/transport.hpp demands.
// A push wakes the UI thread's wait for its next frame (set_wake; docs/latency.md,
// "Frames on demand"), so an incoming event is handled in the next frame, at once.
#pragma once

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
    {
      std::lock_guard lock(mutex_);
      tasks.swap(tasks_);
    }
    for (auto& task : tasks) task();
    return tasks.size();
  }

  bool empty() const {
    std::lock_guard lock(mutex_);
    return tasks_.empty();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::function<void()>> tasks_;
  void (*wake_)() = nullptr;
};

}  // namespace harmonic::native
