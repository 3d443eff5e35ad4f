#include "net/server.hpp"

#include <csignal>

#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include "net/listener.hpp"
#include "net/run_loop.hpp"

namespace harmonic::net {

namespace asio = boost::asio;
using namespace std::chrono_literals;

Server::Server(asio::io_context& io, ServerContext& context)
    : io_(io), context_(context), signals_(io, SIGINT, SIGTERM), tick_timer_(io) {}

Server::~Server() = default;

unsigned short Server::listen(const std::string& host, unsigned short port) {
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address(host), port};
  listener_ = std::make_shared<Listener>(io_, endpoint, context_);
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
  // Every change was committed before it was acknowledged, so only frames remain to drain.
  context_.registry.close_all();
  shutdown_deadline_ = std::chrono::steady_clock::now() + 3s;
}

void Server::tick() {
  tick_timer_.expires_after(50ms);
  tick_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    context_.hub.on_tick();
    if (context_.shutting_down &&
        (context_.registry.size() == 0 || std::chrono::steady_clock::now() > shutdown_deadline_)) {
      spdlog::info("shutdown complete");
      signals_.cancel();
      io_.stop();
      return;
    }
    tick();
  });
}

}  // namespace harmonic::net
