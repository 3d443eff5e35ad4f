#include "net/tls_terminator.hpp"

#include <boost/asio/local/connect_pair.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace harmonic::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
namespace http_ = beast::http;

TlsTerminator::TlsTerminator(asio::ip::tcp::socket socket, std::shared_ptr<ssl::context> tls, asio::ip::address peer,
                             std::chrono::milliseconds handshake_deadline, Start start)
    : tls_(std::move(tls)),
      stream_(beast::tcp_stream(std::move(socket)), *tls_),
      inner_(stream_.get_executor()),
      peer_(std::move(peer)),
      handshake_deadline_(handshake_deadline),
      start_(std::move(start)) {}

void TlsTerminator::run() {
  beast::get_lowest_layer(stream_).expires_after(handshake_deadline_);
  beast::async_detect_ssl(beast::get_lowest_layer(stream_), detect_buffer_,
                          beast::bind_front_handler(&TlsTerminator::on_detect, shared_from_this()));
}

void TlsTerminator::on_detect(beast::error_code ec, bool is_tls) {
  if (ec) return;  // gone or silent past the deadline: the socket closes with this object
  if (!is_tls) {
    refuse_plain_http();
    return;
  }
  stream_.async_handshake(ssl::stream_base::server, detect_buffer_.data(),
                          beast::bind_front_handler(&TlsTerminator::on_handshake, shared_from_this()));
}

void TlsTerminator::refuse_plain_http() {
  auto response = std::make_shared<http_::response<http_::string_body>>(http_::status::bad_request, 11);
  response->set(http_::field::content_type, "text/plain; charset=utf-8");
  response->set(http_::field::connection, "close");
  response->body() = "This port speaks HTTPS only: use https:// (or wss:// for realtime connections).\n";
  response->prepare_payload();
  http_::async_write(beast::get_lowest_layer(stream_), *response,
                     [self = shared_from_this(), response](beast::error_code, std::size_t) {
                       beast::error_code ignored;
                       beast::get_lowest_layer(self->stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
                       beast::get_lowest_layer(self->stream_).close();
                     });
}

void TlsTerminator::on_handshake(beast::error_code ec, std::size_t) {
  if (ec) {
    spdlog::debug("TLS handshake with {} failed: {}", peer_.to_string(), ec.message());
    return;
  }
  // From here the HTTP session's own deadlines and the Engine.IO heartbeat apply.
  beast::get_lowest_layer(stream_).expires_never();
  asio::local::stream_protocol::socket session_end(stream_.get_executor());
  asio::local::connect_pair(inner_, session_end, ec);
  if (ec) {
    spdlog::warn("no socketpair for a TLS connection: {}", ec.message());
    return;
  }
  // The HTTP session takes the descriptor as its socket; it only reads, writes and
  // shuts down, which a Unix stream socket does as a TCP one does.
  asio::ip::tcp::socket session_socket(stream_.get_executor());
  const auto protocol = peer_.is_v6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4();
  session_socket.assign(protocol, session_end.release(), ec);
  if (ec) return;
  start_(std::move(session_socket), peer_);
  start_ = nullptr;
  read_client();
  read_inner();
}

void TlsTerminator::read_client() {
  reading_client_ = true;
  stream_.async_read_some(asio::buffer(from_client_),
                          beast::bind_front_handler(&TlsTerminator::on_client_read, shared_from_this()));
}

void TlsTerminator::on_client_read(beast::error_code ec, std::size_t bytes) {
  reading_client_ = false;
  if (finishing_) {
    finish_tls();
    return;
  }
  if (ec) {
    // The client is done sending (or gone): the session reads its end of stream and
    // closes, which ends the other direction.
    beast::error_code ignored;
    inner_.shutdown(asio::socket_base::shutdown_send, ignored);
    return;
  }
  asio::async_write(inner_, asio::buffer(from_client_.data(), bytes),
                    [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                      // The session closed, or is closing: the other direction ends it.
                      if (write_ec || self->finishing_) return;
                      self->read_client();
                    });
}

void TlsTerminator::read_inner() {
  inner_.async_read_some(asio::buffer(from_inner_),
                         beast::bind_front_handler(&TlsTerminator::on_inner_read, shared_from_this()));
}

void TlsTerminator::on_inner_read(beast::error_code ec, std::size_t bytes) {
  if (ec) {
    // The session shut down or closed its end. A client read still pending is cancelled
    // first: the TLS stream allows one read at a time, and the shutdown reads too.
    finishing_ = true;
    if (reading_client_) beast::get_lowest_layer(stream_).cancel();
    else finish_tls();
    return;
  }
  asio::async_write(stream_, asio::buffer(from_inner_.data(), bytes),
                    [self = shared_from_this()](beast::error_code write_ec, std::size_t) {
                      if (write_ec) {
                        self->close_all();  // the client is gone: the session sees its socket close
                        return;
                      }
                      self->read_inner();
                    });
}

void TlsTerminator::finish_tls() {
  if (closed_) return;
  constexpr std::chrono::seconds close_notify_deadline{1};
  beast::get_lowest_layer(stream_).expires_after(close_notify_deadline);
  stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->close_all(); });
}

void TlsTerminator::close_all() {
  closed_ = true;
  beast::error_code ignored;
  inner_.close(ignored);
  beast::get_lowest_layer(stream_).close();
}

}  // namespace harmonic::net
