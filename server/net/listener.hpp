// Accepts TCP connections and hands each to an HttpSession, with its share of the
// connection caps (connection_caps.hpp); past a cap the session only answers 503.
// With TLS configured each connection goes through a TlsTerminator first
// (tls_terminator.hpp); without it the session reads the TCP socket itself.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/server_context.hpp"
#include "net/tls_certificates.hpp"

namespace harmonic::net {

class Listener final : public std::enable_shared_from_this<Listener> {
 public:
  // Throws boost::system::system_error when the address cannot be bound.
  // `tls` null: plain HTTP.
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, ServerContext& context,
           std::shared_ptr<TlsCertificates> tls = nullptr);
  void run();
  void stop();
  unsigned short port() const;

 private:
  void accept_next();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void admit(boost::asio::ip::tcp::socket socket);
  // `refusal` set: the session only answers 503 with it.
  void serve(boost::asio::ip::tcp::socket socket, ConnectionSlot slot, std::optional<std::string> refusal);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  ServerContext& context_;
  std::shared_ptr<TlsCertificates> tls_;
};

}  // namespace harmonic::net
