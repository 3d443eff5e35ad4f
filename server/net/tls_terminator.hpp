// Ends TLS in-process for one admitted connection (docs/operations.md, "TLS").
//
// Why a terminator rather than sessions templated on the stream type: the WebSocket
// session writes with raw send() on the socket's descriptor (parallel_sender.hpp), and
// the plain path must stay as fast as it is. So the terminator completes the TLS
// handshake, makes a socketpair, hands one end to the ordinary HTTP session as its
// socket (with the real client address, which a socketpair cannot tell), and pumps bytes
// between the TLS stream and the other end: one buffer per direction, so a slow side
// slows the other (natural backpressure). When either side ends, the other is shut down.
//
// A peer that speaks plain HTTP to the TLS port gets a plain-text 400 saying the server
// speaks HTTPS, then the connection closes. The detection and the handshake share one
// deadline (http_header_timeout_ms), like an HTTP request's headers.
#pragma once

#include <array>
#include <functional>
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core.hpp>

namespace harmonic::net {

class TlsTerminator final : public std::enable_shared_from_this<TlsTerminator> {
 public:
  // Called once the handshake is done, with the socket the HTTP session is to use and
  // the client's address.
  using Start = std::function<void(boost::asio::ip::tcp::socket inner, const boost::asio::ip::address& peer)>;

  TlsTerminator(boost::asio::ip::tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> tls,
                boost::asio::ip::address peer, std::chrono::milliseconds handshake_deadline, Start start);
  void run();

 private:
  void on_detect(boost::beast::error_code ec, bool is_tls);
  void refuse_plain_http();
  void on_handshake(boost::beast::error_code ec, std::size_t used);
  void read_client();
  void on_client_read(boost::beast::error_code ec, std::size_t bytes);
  void read_inner();
  void on_inner_read(boost::beast::error_code ec, std::size_t bytes);
  // The HTTP session is done: close_notify to the client (briefly), then close.
  void finish_tls();
  void close_all();

  std::shared_ptr<boost::asio::ssl::context> tls_;  // before stream_: outlives it
  boost::asio::ssl::stream<boost::beast::tcp_stream> stream_;
  boost::asio::local::stream_protocol::socket inner_;
  boost::asio::ip::address peer_;
  std::chrono::milliseconds handshake_deadline_;
  Start start_;
  boost::beast::flat_buffer detect_buffer_;
  static constexpr std::size_t buffer_size = 16 * 1024;  // one TLS record
  std::array<char, buffer_size> from_client_{};
  std::array<char, buffer_size> from_inner_{};
  bool reading_client_ = false;
  bool finishing_ = false;
  bool closed_ = false;
};

}  // namespace harmonic::net
