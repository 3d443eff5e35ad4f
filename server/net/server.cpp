#include "net/server.hpp"

#include <csignal>

#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include "net/https_redirect.hpp"
#include "net/listener.hpp"
#include "net/run_every.hpp"
#include "net/run_loop.hpp"
#include "net/tls_certificates.hpp"

namespace harmonic::net {

namespace asio = boost::asio;
using namespace std::chrono_literals;

Server::Server(asio::io_context& io, ServerContext& context)
    : io_(io), context_(context), signals_(io, SIGINT, SIGTERM), reload_signals_(io), tick_timer_(io) {}

Server::~Server() = default;

void Server::enable_tls(std::shared_ptr<TlsCertificates> tls) {
  tls_ = std::move(tls);
  reload_signals_.add(SIGHUP);
  await_reload_signal();
}

void Server::await_reload_signal() {
  reload_signals_.async_wait([this](boost::system::error_code ec, int) {
    if (ec) return;
    tls_->reload();  // new connections use the new context; open ones keep theirs
    await_reload_signal();
  });
}

unsigned short Server::listen_redirect(const std::string& host, unsigned short port) {
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(host), port};
  redirect_ = std::make_shared<HttpsRedirect>(io_, endpoint, context_, listener_->port());
  redirect_->run();
  return redirect_->port();
}

unsigned short Server::listen(const std::string& host, unsigned short port) {
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(host), port};
  listener_ = std::make_shared<Listener>(io_, endpoint, context_, tls_);
  listener_->run();
  signals_.async_wait([this](boost::system::error_code ec, int signal) {
    if (!ec) shutdown(signal == SIGTERM ? "SIGTERM" : "SIGINT");
  });
  tick();
  return listener_->port();
}

void Server::run() { run_surviving_handler_failures(io_); }

void Server::shutdown(std::string_view reason) {
  if (context_.shutting_down) return;
  context_.shutting_down = true;
  context_.hub.finish_turn();  // held acks and broadcasts go out before the connections close
  spdlog::info("shutting down ({}): telling {} connections", reason, context_.registry.size());
  context_.hub.announce_maintenance("The server is restarting for maintenance; you will be reconnected.", 30);
  listener_->stop();
  if (redirect_) redirect_->stop();
  // Every change was committed before it was acknowledged, so only frames remain to drain.
  context_.registry.close_all();
  shutdown_deadline_ = std::chrono::steady_clock::now() + 3s;
}

void Server::tick() {
  run_every(tick_timer_, 50ms, [this] {
    context_.hub.on_tick();
    if (context_.shutting_down &&
        (context_.registry.size() == 0 || std::chrono::steady_clock::now() > shutdown_deadline_)) {
      spdlog::info("shutdown complete");
      signals_.cancel();
      reload_signals_.cancel();
      io_.stop();
      return false;
    }
    return true;
  });
}

}  // namespace harmonic::net
