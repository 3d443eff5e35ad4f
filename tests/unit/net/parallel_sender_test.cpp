#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/parallel_sender.hpp"

using harmonic::net::ParallelSender;

namespace {
struct SocketPair {
  int ours = -1;
  int peer = -1;
  SocketPair() {
    int fds[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    ours = fds[0];
    peer = fds[1];
    ::fcntl(ours, F_SETFL, ::fcntl(ours, F_GETFL) | O_NONBLOCK);
  }
  ~SocketPair() {
    if (ours >= 0) ::close(ours);
    if (peer >= 0) ::close(peer);
  }
  std::string read_available() const {
    std::string out;
    char buffer[65536];
    for (;;) {
      const auto n = ::recv(peer, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n <= 0) return out;
      out.append(buffer, static_cast<std::size_t>(n));
    }
  }
};

void send_to_many(ParallelSender& sender, std::size_t count) {
  std::vector<SocketPair> pairs(count);
  std::vector<std::string> payloads;
  for (std::size_t i = 0; i < count; ++i) payloads.push_back("frame for socket " + std::to_string(i));
  std::vector<ParallelSender::Job> jobs;
  for (std::size_t i = 0; i < count; ++i) jobs.push_back({pairs[i].ours, payloads[i].data(), payloads[i].size()});
  sender.send_all(jobs);
  for (std::size_t i = 0; i < count; ++i) {
    CHECK(jobs[i].error == 0);
    CHECK(jobs[i].sent == payloads[i].size());
    CHECK(pairs[i].read_available() == payloads[i]);
  }
}
}  // namespace

TEST_CASE("every socket of a large batch gets exactly its bytes, with the helper sharing the work") {
  ParallelSender sender(1, 8);
  for (int round = 0; round < 20; ++round) send_to_many(sender, 300);
  CHECK(sender.shared_batches() == 20);
}

TEST_CASE("a small batch stays on the calling thread, and no helper sends everything alone") {
  ParallelSender with_helper(1, 64);
  send_to_many(with_helper, 10);
  CHECK(with_helper.shared_batches() == 0);
  ParallelSender alone(0);
  send_to_many(alone, 300);
  CHECK(alone.shared_batches() == 0);
}

TEST_CASE("a full socket takes what fits, without blocking or an error") {
  ParallelSender sender(1, 1);
  SocketPair pair;
  const std::string big(8 << 20, 'x');  // far more than a socket buffer
  std::vector<ParallelSender::Job> jobs{{pair.ours, big.data(), big.size()}};
  sender.send_all(jobs);
  CHECK(jobs[0].error == 0);
  CHECK(jobs[0].sent > 0);
  CHECK(jobs[0].sent < big.size());
}

TEST_CASE("a socket whose peer is gone reports the error and leaves the others alone") {
  ParallelSender sender(1, 1);
  SocketPair gone;
  SocketPair fine;
  ::close(gone.peer);
  gone.peer = -1;
  const std::string payload = "hello";
  std::vector<ParallelSender::Job> jobs{{gone.ours, payload.data(), payload.size()},
                                        {fine.ours, payload.data(), payload.size()}};
  sender.send_all(jobs);
  CHECK(jobs[0].error == EPIPE);
  CHECK(jobs[1].error == 0);
  CHECK(fine.read_available() == payload);
}

TEST_CASE("background batches are sent by the helper in order, and each reports back once") {
  ParallelSender sender(1);
  REQUIRE(sender.has_helper());
  std::vector<SocketPair> pairs(50);
  std::mutex mutex;
  std::condition_variable reported;
  std::vector<int> finished_batches;
  std::vector<std::vector<ParallelSender::Job>> results(3);
  const std::vector<std::string> payloads = {"first;", "second;", "third;"};
  for (int batch = 0; batch < 3; ++batch) {
    std::vector<ParallelSender::Job> jobs;
    for (auto& pair : pairs) jobs.push_back({pair.ours, payloads[batch].data(), payloads[batch].size()});
    sender.send_in_background(std::move(jobs), [&, batch](std::vector<ParallelSender::Job>& done) {
      std::lock_guard lock(mutex);
      results[batch] = done;
      finished_batches.push_back(batch);
      reported.notify_one();
    });
  }
  {
    std::unique_lock lock(mutex);
    REQUIRE(reported.wait_for(lock, std::chrono::seconds(5), [&] { return finished_batches.size() == 3; }));
  }
  CHECK(finished_batches == std::vector<int>{0, 1, 2});
  for (int batch = 0; batch < 3; ++batch) {
    for (const auto& job : results[batch]) {
      CHECK(job.error == 0);
      CHECK(job.sent == payloads[batch].size());
    }
  }
  for (auto& pair : pairs) CHECK(pair.read_available() == "first;second;third;");
  // The helper counts as busy until it is back from the last report.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!sender.helper_idle() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  CHECK(sender.helper_idle());
}
