#include "net/parallel_sender.hpp"

#include <algorithm>
#include <cerrno>

#include <sys/socket.h>

namespace harmonic::net {

namespace {
constexpr std::size_t jobs_per_chunk = 16;
}

ParallelSender::ParallelSender(int helper_threads, std::size_t min_batch_to_share)
    : min_batch_to_share_(min_batch_to_share) {
  if (helper_threads > 0) helper_ = std::thread([this] { helper_loop(); });
}

ParallelSender::~ParallelSender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_helper_.notify_one();
  if (helper_.joinable()) helper_.join();
}

void ParallelSender::send_one(Job& job) {
  while (job.sent < job.size) {
    const auto n = ::send(job.fd, job.data + job.sent, job.size - job.sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      job.sent += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;  // the socket is full: the caller waits for it to drain
    } else {
      job.error = n < 0 ? errno : EPIPE;
      return;
    }
  }
}

void ParallelSender::drain() {
  for (;;) {
    const auto start = next_.fetch_add(jobs_per_chunk, std::memory_order_relaxed);
    if (start >= batch_.size()) return;
    const auto end = std::min(start + jobs_per_chunk, batch_.size());
    for (auto i = start; i < end; ++i) send_one(batch_[i]);
  }
}

void ParallelSender::send_all(std::span<Job> jobs) {
  if (!would_share(jobs.size())) {
    for (auto& job : jobs) send_one(job);
    return;
  }
  {
    std::lock_guard lock(mutex_);
    batch_ = jobs;
    next_.store(0, std::memory_order_relaxed);
    ++generation_;
    ++shared_batches_;
  }
  wake_helper_.notify_one();
  drain();
  std::unique_lock lock(mutex_);
  // A helper that has not picked the batch up yet never will: the generation moves on
  // (below, by clearing the batch) and it finds nothing. One that did is waited for,
  // because it may be writing into `jobs`.
  if (helper_generation_ != generation_) {
    helper_generation_ = generation_;  // tells the helper this batch is gone
  } else {
    helper_done_.wait(lock, [this] { return !helper_working_; });
  }
  batch_ = {};
}

void ParallelSender::send_in_background(std::vector<Job> jobs, Done done) {
  {
    std::lock_guard lock(mutex_);
    background_.push_back({std::move(jobs), std::move(done)});
  }
  wake_helper_.notify_one();
}

bool ParallelSender::helper_idle() {
  std::lock_guard lock(mutex_);
  return background_.empty() && !sending_background_;
}

void ParallelSender::helper_loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_helper_.wait(lock, [this] { return stopping_ || helper_generation_ != generation_ || !background_.empty(); });
    if (stopping_) return;
    if (helper_generation_ != generation_) {  // first: the caller of send_all is waiting
      helper_generation_ = generation_;
      helper_working_ = true;
      lock.unlock();
      drain();
      lock.lock();
      helper_working_ = false;
      helper_done_.notify_one();
      continue;
    }
    auto batch = std::move(background_.front());
    background_.pop_front();
    sending_background_ = true;
    lock.unlock();
    for (auto& job : batch.jobs) send_one(job);
    batch.done(batch.jobs);
    lock.lock();
    sending_background_ = false;
  }
}

}  // namespace harmonic::net
