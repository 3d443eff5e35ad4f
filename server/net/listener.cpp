#include "net/listener.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "net/http_session.hpp"
#include "net/tls_terminator.hpp"

namespace harmonic::net {

namespace asio = boost::asio;

Listener::Listener(asio::io_context& io, const asio::ip::tcp::endpoint& endpoint, ServerContext& context,
                   std::shared_ptr<TlsCertificates> tls)
    : io_(io), acceptor_(io), retry_timer_(io), context_(context), tls_(std::move(tls)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::run() { accept_next(); }

void Listener::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

unsigned short Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::accept_next() {
  acceptor_.async_accept(io_, [self = shared_from_this()](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Listener::on_accept(boost::system::error_code ec, asio::ip::tcp::socket socket) {
  if (!acceptor_.is_open()) return;
  if (ec) {
    // Usually out of file descriptors: back off instead of spinning on the error.
    spdlog::warn("accept failed: {}", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec) self->accept_next();
    });
    return;
  }
  boost::system::error_code ignored;
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  admit(std::move(socket));
  accept_next();
}

// The total cap counts TCP connections; the per-address cap is charged here to the TCP
// peer, unless the peer is a trusted proxy: then the HTTP session charges the client its
// X-Forwarded-For names, once the headers are read.
void Listener::admit(asio::ip::tcp::socket socket) {
  auto slot = context_.caps.open();
  if (!slot) {
    context_.metrics.count_connection_refused("max_connections");
    serve(std::move(socket), ConnectionSlot{}, "the server is at its connection limit; try again later");
    return;
  }
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  const auto& proxies = context_.trusted_proxies;
  const bool proxied = std::find(proxies.begin(), proxies.end(), peer.address()) != proxies.end();
  if (!proxied && !slot->charge(client_address(peer.address(), {}, proxies))) {
    context_.metrics.count_connection_refused("max_connections_per_ip");
    serve(std::move(socket), ConnectionSlot{}, "too many connections from your address; try again later");
    return;
  }
  serve(std::move(socket), std::move(*slot), std::nullopt);
}

void Listener::serve(asio::ip::tcp::socket socket, ConnectionSlot slot, std::optional<std::string> refusal) {
  if (!tls_) {
    auto session = std::make_shared<HttpSession>(std::move(socket), context_, std::move(slot));
    if (refusal) session->refuse(std::move(*refusal));
    else session->run();
    return;
  }
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  // The slot stays charged through the handshake, then moves to the session.
  auto start = [&context = context_, held = std::make_shared<ConnectionSlot>(std::move(slot)), refusal](
                   asio::ip::tcp::socket inner, const asio::ip::address& client) {
    auto session = std::make_shared<HttpSession>(std::move(inner), context, std::move(*held), client);
    if (refusal) session->refuse(*refusal);
    else session->run();
  };
  std::make_shared<TlsTerminator>(std::move(socket), tls_->current(), peer.address(),
                                  std::chrono::milliseconds(context_.limits.http_header_timeout_ms), std::move(start))
      ->run();
}

}  // namespace harmonic::net
