// Collects the sessions that have frames to write during one turn of the event loop and
// writes them all together, after every handler already queued has run: the frames a
// session gets in that turn leave in one send(), and a broadcast's sends go to the
// ParallelSender as one batch instead of one event-loop round trip per member.
//
// Only the event loop's thread touches it. How a batch is written depends on its size:
// a few sessions are written right here; a mid-sized batch goes to the sender's helper
// thread while the loop carries on (its outcome comes back as a posted handler); a huge
// one (a broadcast to a big room) is shared between this thread and the helper. A write
// the socket cannot take at once continues as an ordinary asynchronous write.
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "net/parallel_sender.hpp"

namespace harmonic::net {

class WebSocketSession;

class WriteFlusher {
 public:
  WriteFlusher(boost::asio::any_io_executor executor, ParallelSender& sender, std::size_t min_background_batch = 32);
  // The session's pending frames are written at the next flush (once per turn).
  void enqueue(std::shared_ptr<WebSocketSession> session);
  // A session read something: how many did since the last flush tells a busy loop (many
  // readers: let the helper write while this thread goes on) from an idle one (a lone
  // broadcast: share its writes and finish it sooner).
  void note_read() { ++reads_since_flush_; }

 private:
  void flush();
  void write_in_background();

  std::size_t min_background_batch_;
  std::size_t reads_since_flush_ = 0;
  boost::asio::any_io_executor executor_;
  ParallelSender& sender_;
  std::vector<std::shared_ptr<WebSocketSession>> queued_;
  std::vector<std::shared_ptr<WebSocketSession>> flushing_;
  std::vector<ParallelSender::Job> jobs_;
  bool flush_posted_ = false;
};

}  // namespace harmonic::net
