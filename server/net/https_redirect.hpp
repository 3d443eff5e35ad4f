// --redirect-http PORT (docs/operations.md, "TLS"): a plain HTTP listener that answers
// every request 301 to the same target on the HTTPS port, so http:// links and
// bookmarks still arrive. It serves nothing else; its connections count against the
// connection caps like any other.
#pragma once

#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/server_context.hpp"

namespace harmonic::net {

// "https://<host>:<https_port><target>": the host from the request's Host header (its
// port dropped), else `fallback_host`.
std::string https_location(std::string_view host_header, std::string_view fallback_host, unsigned short https_port,
                           std::string_view target);

class HttpsRedirect final : public std::enable_shared_from_this<HttpsRedirect> {
 public:
  // Throws boost::system::system_error when the address cannot be bound.
  HttpsRedirect(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, ServerContext& context,
                unsigned short https_port);
  void run();
  void stop();
  unsigned short port() const;

 private:
  void accept_next();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  ServerContext& context_;
  unsigned short https_port_;
  std::string fallback_host_;
};

}  // namespace harmonic::net
