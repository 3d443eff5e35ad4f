#include "cluster/redis_asio.hpp"

#include <memory>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <hiredis/async.h>

namespace harmonic::cluster {

namespace {

class Attachment : public std::enable_shared_from_this<Attachment> {
 public:
  Attachment(boost::asio::io_context& io, redisAsyncContext* context) : context_(context), socket_(io, context->c.fd) {}

  // The owning reference, dropped by cleanup(): pending waits hold their own until they run.
  std::shared_ptr<Attachment> self;

  void want(boost::asio::posix::stream_descriptor::wait_type type, bool on) {
    auto& wanted = type == boost::asio::posix::stream_descriptor::wait_read ? read_wanted_ : write_wanted_;
    wanted = on;
    if (on) arm(type);
  }

  // hiredis frees the context (and then closes the socket): stop watching it, without
  // closing a descriptor that is not ours.
  void cleanup() {
    context_ = nullptr;
    read_wanted_ = write_wanted_ = false;
    boost::system::error_code ignored;
    socket_.cancel(ignored);
    (void)socket_.release();
    self.reset();
  }

 private:
  void arm(boost::asio::posix::stream_descriptor::wait_type type) {
    const bool reading = type == boost::asio::posix::stream_descriptor::wait_read;
    bool& waiting = reading ? read_waiting_ : write_waiting_;
    if (waiting || !context_) return;  // the hooks are called again while a wait is pending
    waiting = true;
    socket_.async_wait(type, [attachment = shared_from_this(), type, reading](const boost::system::error_code& error) {
      (reading ? attachment->read_waiting_ : attachment->write_waiting_) = false;
      if (error || !attachment->context_) return;
      if (reading && attachment->read_wanted_) redisAsyncHandleRead(attachment->context_);
      if (!reading && attachment->write_wanted_) redisAsyncHandleWrite(attachment->context_);
      // The handler may have freed the context (cleanup() ran); otherwise keep watching.
      if (attachment->context_ && (reading ? attachment->read_wanted_ : attachment->write_wanted_)) {
        attachment->arm(type);
      }
    });
  }

  redisAsyncContext* context_;
  boost::asio::posix::stream_descriptor socket_;
  bool read_wanted_ = false;
  bool write_wanted_ = false;
  bool read_waiting_ = false;
  bool write_waiting_ = false;
};

Attachment& of(void* data) { return *static_cast<Attachment*>(data); }

}  // namespace

bool attach_to_asio(boost::asio::io_context& io, redisAsyncContext* context) {
  if (context->ev.data != nullptr) return false;
  auto attachment = std::make_shared<Attachment>(io, context);
  attachment->self = attachment;
  context->ev.data = attachment.get();
  context->ev.addRead = [](void* data) { of(data).want(boost::asio::posix::stream_descriptor::wait_read, true); };
  context->ev.delRead = [](void* data) { of(data).want(boost::asio::posix::stream_descriptor::wait_read, false); };
  context->ev.addWrite = [](void* data) { of(data).want(boost::asio::posix::stream_descriptor::wait_write, true); };
  context->ev.delWrite = [](void* data) { of(data).want(boost::asio::posix::stream_descriptor::wait_write, false); };
  context->ev.cleanup = [](void* data) { of(data).cleanup(); };
  return true;
}

}  // namespace harmonic::cluster
