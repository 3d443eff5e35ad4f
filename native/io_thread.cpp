#include "native/io_thread.hpp"

#include <chrono>

#include <boost/asio/executor_work_guard.hpp>
#include <spdlog/spdlog.h>

namespace harmonic::native {

namespace {
using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
}

IoThread::IoThread(TlsOptions options) : tls_(boost::asio::ssl::context::tls_client) {
  tls_.set_options(boost::asio::ssl::context::default_workarounds | boost::asio::ssl::context::no_sslv2 |
                   boost::asio::ssl::context::no_sslv3 | boost::asio::ssl::context::no_tlsv1 |
                   boost::asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  tls_.set_default_verify_paths(ec);
  if (!options.ca_file.empty()) {
    tls_.load_verify_file(options.ca_file, ec);
    if (ec) spdlog::warn("cannot load CA file {}: {}", options.ca_file, ec.message());
  }
  tls_.set_verify_mode(boost::asio::ssl::verify_peer);

  work_ = std::unique_ptr<void, void (*)(void*)>(new WorkGuard(context_.get_executor()),
                                                   [](void* p) { delete static_cast<WorkGuard*>(p); });
  thread_ = std::thread([this] {
    for (;;) {
      try {
        context_.run();
        finished_ = true;
        return;
      } catch (const std::exception& e) {
        // A handler threw: log it and keep the loop alive for the other connections.
        spdlog::error("network thread: {}", e.what());
      }
    }
  });
}

IoThread::~IoThread() {
  // Without the work guard, run() returns once every connection has wound down.
  work_.reset();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (!finished_ && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  context_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace harmonic::native
