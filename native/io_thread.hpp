// The desktop client's one network thread: an io_context that the Beast WebSocket
// transports and the HTTP client run on, and the queue that brings their results
// back to the UI thread. Owned by main.cpp; outlives every transport it made.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "native/ui_queue.hpp"

namespace harmonic::native {

struct TlsOptions {
  // Extra trusted certificates (PEM), e.g. a company CA or a self-signed server's,
  // on top of the system's roots. Certificates are always verified, names too.
  std::string ca_file;
};

class IoThread {
 public:
  explicit IoThread(TlsOptions tls = {});
  // Lets connections finish what they were told (a WebSocket close handshake) for at
  // most `linger`, then stops the loop and joins; what is still pending is abandoned.
  ~IoThread();
  IoThread(const IoThread&) = delete;
  IoThread& operator=(const IoThread&) = delete;

  boost::asio::io_context& context() { return context_; }
  boost::asio::ssl::context& tls() { return tls_; }
  UiQueue& ui() { return ui_; }

 private:
  boost::asio::io_context context_;
  boost::asio::ssl::context tls_;
  UiQueue ui_;
  std::unique_ptr<void, void (*)(void*)> work_{nullptr, nullptr};
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

}  // namespace harmonic::native
