// The desktop client's one network thread: an io_context that the Beast WebSocket
// transports and the HTTP client run on, and the queue that brings their results
// back to the UI thread. Owned by the backend; outlives every transport it made.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include "native/ui_queue.hpp"

namespace harmonic::native {

struct TlsOptions {
  std::string ca_file;        // extra trusted certificates (PEM), e.g. a self-signed server's
  bool verify_peer = true;    // false only for tests against a throwaway certificate
};

class IoThread {
 public:
  explicit IoThread(TlsOptions tls = {});
  ~IoThread();  // stops the loop and joins; pending operations are abandoned
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
  std::thread thread_;
};

}  // namespace harmonic::native
