#include "net/https_redirect.hpp"

#include <algorithm>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace harmonic::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http_ = beast::http;

namespace {

// One connection: one request read under the header deadline, one 301, then close.
class RedirectSession final : public std::enable_shared_from_this<RedirectSession> {
 public:
  RedirectSession(asio::ip::tcp::socket socket, ConnectionSlot slot, const ServerContext& context,
                  unsigned short https_port, const std::string& fallback_host)
      : stream_(std::move(socket)),
        slot_(std::move(slot)),
        deadline_(context.limits.http_header_timeout_ms),
        https_port_(https_port),
        fallback_host_(fallback_host) {}

  void run() {
    parser_.header_limit(16 * 1024);
    parser_.body_limit(0);
    stream_.expires_after(deadline_);
    http_::async_read_header(stream_, buffer_, parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

 private:
  void on_header(beast::error_code ec) {
    if (ec) return;
    const auto& request = parser_.get();
    const auto host = request[http_::field::host];
    const auto target = request.target();
    response_.result(http_::status::moved_permanently);
    response_.version(request.version());
    response_.set(http_::field::location,
                  https_location({host.data(), host.size()}, fallback_host_, https_port_, {target.data(), target.size()}));
    response_.set(http_::field::connection, "close");
    response_.prepare_payload();
    http_::async_write(stream_, response_, [self = shared_from_this()](beast::error_code, std::size_t) {
      beast::error_code ignored;
      self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    });
  }

  beast::tcp_stream stream_;
  ConnectionSlot slot_;
  std::chrono::milliseconds deadline_;
  unsigned short https_port_;
  std::string fallback_host_;
  beast::flat_buffer buffer_;
  http_::request_parser<http_::empty_body> parser_;
  http_::response<http_::empty_body> response_;
};

}  // namespace

std::string https_location(std::string_view host_header, std::string_view fallback_host, unsigned short https_port,
                           std::string_view target) {
  std::string host(host_header.empty() ? fallback_host : host_header);
  const auto colons = std::count(host.begin(), host.end(), ':');
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, host.find(']') + 1);  // "[::1]:80" keeps its brackets, loses its port
  } else if (colons == 1) {
    host = host.substr(0, host.find(':'));  // "example.com:80"
  } else if (colons > 1) {
    host = "[" + host + "]";  // a bare IPv6 address (only the fallback can be one)
  }
  const std::string path = !target.empty() && target.front() == '/' ? std::string(target) : std::string("/");
  return "https://" + host + ":" + std::to_string(https_port) + path;
}

HttpsRedirect::HttpsRedirect(asio::io_context& io, const asio::ip::tcp::endpoint& endpoint, ServerContext& context,
                             unsigned short https_port)
    : io_(io), acceptor_(io), retry_timer_(io), context_(context), https_port_(https_port), fallback_host_(endpoint.address().to_string()) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void HttpsRedirect::run() { accept_next(); }

void HttpsRedirect::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
}

unsigned short HttpsRedirect::port() const { return acceptor_.local_endpoint().port(); }

void HttpsRedirect::accept_next() {
  acceptor_.async_accept(io_, [self = shared_from_this()](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (!self->acceptor_.is_open()) return;
    if (ec) {
      // Usually out of file descriptors: back off as the main listener does.
      self->retry_timer_.expires_after(std::chrono::milliseconds(100));
      self->retry_timer_.async_wait([self](boost::system::error_code wait_ec) {
        if (!wait_ec) self->accept_next();
      });
      return;
    }
    {
      // Past a cap the connection is simply closed: a redirect is no service worth a 503.
      auto slot = self->context_.caps.open();
      boost::system::error_code peer_ec;
      const auto peer = socket.remote_endpoint(peer_ec);
      if (slot && !peer_ec && slot->charge(client_address(peer.address(), {}, self->context_.trusted_proxies))) {
        std::make_shared<RedirectSession>(std::move(socket), std::move(*slot), self->context_, self->https_port_,
                                          self->fallback_host_)
            ->run();
      }
    }
    self->accept_next();
  });
}

}  // namespace harmonic::net
