#include "net/write_flusher.hpp"

#include <boost/asio/post.hpp>

#include "net/websocket_session.hpp"

namespace harmonic::net {

WriteFlusher::WriteFlusher(boost::asio::any_io_executor executor, ParallelSender& sender,
                           std::size_t min_background_batch)
    : min_background_batch_(min_background_batch), executor_(std::move(executor)), sender_(sender) {}

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
  // A huge batch in a quiet turn is shared with the helper (the last member hears
  // soonest); in a busy turn, or when the helper is still writing, it queues for the
  // helper while this thread goes on reading.
  constexpr std::size_t busy_turn_reads = 8;
  const bool busy = reads_since_flush_ >= busy_turn_reads;
  reads_since_flush_ = 0;
  if (sender_.has_helper() && jobs_.size() >= min_background_batch_ &&
      (!sender_.would_share(jobs_.size()) || busy || !sender_.helper_idle())) {
    write_in_background();
    return;
  }
  sender_.send_all(jobs_);
  for (std::size_t i = 0; i < flushing_.size(); ++i) flushing_[i]->finish_write(jobs_[i]);
  flushing_.clear();
}

void WriteFlusher::write_in_background() {
  for (auto& session : flushing_) session->lend_socket();
  auto sessions = std::make_shared<std::vector<std::shared_ptr<WebSocketSession>>>();
  sessions->swap(flushing_);
  // Everything the helper holds moves into the posted handler, so no session is ever
  // released (and destroyed) on the helper's thread.
  sender_.send_in_background(std::move(jobs_), [executor = executor_, sessions](std::vector<ParallelSender::Job>& jobs) mutable {
    boost::asio::post(executor, [sessions = std::move(sessions), jobs = std::move(jobs)] {
      for (std::size_t i = 0; i < sessions->size(); ++i) (*sessions)[i]->finish_write(jobs[i]);
    });
  });
  jobs_ = {};
}

}  // namespace harmonic::net
