#include "net/write_flusher.hpp"

#include <boost/asio/post.hpp>

#include "net/websocket_session.hpp"

namespace harmonic::net {

WriteFlusher::WriteFlusher(boost::asio::any_io_executor executor, ParallelSender& sender)
    : executor_(std::move(executor)), sender_(sender) {}

void WriteFlusher::enqueue(std::shared_ptr<WebSocketSession> session) {
  queued_.push_back(std::move(session));
  if (flush_posted_) return;
  flush_posted_ = true;
  boost::asio::post(executor_, [this] { flush(); });
}

void WriteFlusher::flush() {
  flush_posted_ = false;
  // Sessions written to while this batch completes (say, the next frames of a session
  // whose write finished) queue up for the next flush.
  flushing_.swap(queued_);
  jobs_.clear();
  std::size_t writing = 0;
  for (auto& session : flushing_) {
    if (auto job = session->take_pending_write()) {
      jobs_.push_back(*job);
      flushing_[writing++] = std::move(session);
    }
  }
  flushing_.resize(writing);
  sender_.send_all(jobs_);
  for (std::size_t i = 0; i < flushing_.size(); ++i) flushing_[i]->finish_write(jobs_[i]);
  flushing_.clear();
}

}  // namespace harmonic::net
