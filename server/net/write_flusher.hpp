// Collects the sessions that have frames to write during one turn of the event loop and
// writes them all together, after every handler already queued has run: the frames a
// session gets in that turn leave in one send(), and a broadcast's sends go to the
// ParallelSender as one batch instead of one event-loop round trip per member.
//
// Only the event loop's thread touches it. A write the socket cannot take at once
// continues as an ordinary asynchronous write of that session.
#pragma once

#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "net/parallel_sender.hpp"

namespace harmonic::net {

class WebSocketSession;

class WriteFlusher {
 public:
  WriteFlusher(boost::asio::any_io_executor executor, ParallelSender& sender);
  // The session's pending frames are written at the next flush (once per turn).
  void enqueue(std::shared_ptr<WebSocketSession> session);

 private:
  void flush();

  boost::asio::any_io_executor executor_;
  ParallelSender& sender_;
  std::vector<std::shared_ptr<WebSocketSession>> queued_;
  std::vector<std::shared_ptr<WebSocketSession>> flushing_;
  std::vector<ParallelSender::Job> jobs_;
  bool flush_posted_ = false;
};

}  // namespace harmonic::net
