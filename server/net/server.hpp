// The network edge as a whole: one io_context on one thread (the core is
// single-threaded by design; only the send() calls of large batches go to a helper
// thread, see parallel_sender.hpp), the listener, the core's tick, and a graceful shutdown
// on SIGTERM/SIGINT that announces maintenance, stops accepting and lets queued
// frames drain before the process exits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/server_context.hpp"

namespace harmonic::net {

class HttpsRedirect;
class Listener;
class TlsCertificates;

class Server {
 public:
  Server(boost::asio::io_context& io, ServerContext& context);
  ~Server();
  // Before listen: the listener speaks HTTPS and WSS only, and SIGHUP reloads the
  // certificate (docs/operations.md, "TLS").
  void enable_tls(std::shared_ptr<TlsCertificates> tls);
  // Binds and starts accepting; returns the port (useful with port 0).
  unsigned short listen(const std::string& host, unsigned short port);
  // After listen, with TLS: a plain listener that redirects to the HTTPS port; returns its port.
  unsigned short listen_redirect(const std::string& host, unsigned short port);
  // Runs until shutdown completes.
  void run();
  void shutdown(std::string_view reason);

 private:
  void tick();
  void await_reload_signal();

  boost::asio::io_context& io_;
  ServerContext& context_;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<TlsCertificates> tls_;
  std::shared_ptr<HttpsRedirect> redirect_;
  boost::asio::signal_set signals_;
  boost::asio::signal_set reload_signals_;  // SIGHUP, only with TLS
  boost::asio::steady_timer tick_timer_;
  std::chrono::steady_clock::time_point shutdown_deadline_{};
};

}  // namespace harmonic::net
