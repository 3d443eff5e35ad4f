#include "native/beast_websocket_transport.hpp"

#include <deque>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "native/url.hpp"

namespace harmonic::native {

namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

constexpr int kAbnormalClosure = 1006;  // "no close frame": could not connect, or dropped

// What the UI-side transport and the network-side connection share. `closed` and
// `callbacks` are only touched on the UI thread (inside queued tasks and the
// transport's methods), so they need no lock.
struct Link {
  bool closed = false;
  client::WebSocketTransport::Callbacks callbacks;
};

class ConnectionBase {
 public:
  virtual ~ConnectionBase() = default;
  // Each posts to the connection's strand; callable from any thread.
  virtual void start() = 0;
  virtual void send(std::string text) = 0;
  virtual void close() = 0;
};

// One WebSocket connection on the network thread, Beast-example style: a chain of
// handlers that keeps the object alive through shared_from_this, one write at a
// time from a queue, one place that reports the end (report_close).
template <class Stream>
class Connection final : public ConnectionBase, public std::enable_shared_from_this<Connection<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  Connection(IoThread& io, std::shared_ptr<Link> link, Url url, WebSocketOptions options)
      : io_(io),
        link_(std::move(link)),
        url_(std::move(url)),
        options_(options),
        strand_(net::make_strand(io.context())),
        resolver_(strand_),
        ws_(make_stream(strand_, io)) {}

  void start() override {
    net::post(strand_, [self = this->shared_from_this()] { self->do_resolve(); });
  }
  void send(std::string text) override {
    net::post(strand_, [self = this->shared_from_this(), text = std::move(text)]() mutable {
      self->do_send(std::move(text));
    });
  }
  void close() override {
    net::post(strand_, [self = this->shared_from_this()] { self->do_close(); });
  }

 private:
  static websocket::stream<Stream> make_stream(net::strand<net::io_context::executor_type>& strand, IoThread& io) {
    if constexpr (kTls) {
      return websocket::stream<Stream>(strand, io.tls());
    } else {
      return websocket::stream<Stream>(strand);
    }
  }

  auto timeout() const { return std::chrono::milliseconds(std::int64_t(options_.connect_timeout_s * 1000)); }

  void do_resolve() {
    if (user_closed_) return;
    beast::get_lowest_layer(ws_).expires_after(timeout());
    resolver_.async_resolve(url_.host, url_.port,
                            [self = this->shared_from_this()](beast::error_code ec, tcp::resolver::results_type r) {
                              self->on_resolve(ec, std::move(r));
                            });
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail(ec, "resolve");
    if (user_closed_) return;
    beast::get_lowest_layer(ws_).expires_after(timeout());
    beast::get_lowest_layer(ws_).async_connect(
        results, [self = this->shared_from_this()](beast::error_code e, const tcp::endpoint&) { self->on_connect(e); });
  }

  void on_connect(beast::error_code ec) {
    if (ec) return fail(ec, "connect");
    if (user_closed_) return shut();
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec);
    if constexpr (kTls) {
      auto& tls = ws_.next_layer();
      // SNI, and the certificate must name the host we asked for.
      if (!SSL_set_tlsext_host_name(tls.native_handle(), url_.host.c_str())) {
        return fail(beast::error_code(int(::ERR_get_error()), net::error::get_ssl_category()), "TLS SNI");
      }
      tls.set_verify_callback(ssl::host_name_verification(url_.host));
      beast::get_lowest_layer(ws_).expires_after(timeout());
      tls.async_handshake(ssl::stream_base::client,
                          [self = this->shared_from_this()](beast::error_code e) { self->on_tls_handshake(e); });
    } else {
      do_websocket_handshake();
    }
  }

  void on_tls_handshake(beast::error_code ec) {
    if (ec) return fail(ec, "TLS handshake");
    do_websocket_handshake();
  }

  void do_websocket_handshake() {
    if (user_closed_) return shut();
    // The WebSocket layer keeps its own timers from here on.
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = timeout();
    t.idle_timeout = websocket::stream_base::none();  // Engine.IO pings are the liveness check
    t.keep_alive_pings = false;
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::request_type& req) { req.set(beast::http::field::user_agent, "harmonic-desktop"); }));
    ws_.read_message_max(options_.max_message_bytes);
    ws_.async_handshake(url_.host_header(), url_.target,
                        [self = this->shared_from_this()](beast::error_code e) { self->on_handshake(e); });
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail(ec, "WebSocket handshake");
    if (user_closed_) return do_close();
    open_ = true;
    ws_.text(true);
    io_.ui().push([link = link_] {
      if (link->closed) return;
      auto callback = link->callbacks.on_open;  // a copy: the callback may close us
      if (callback) callback();
    });
    do_read();
    if (!queue_.empty()) do_write();
  }

  void do_read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      if (ec == websocket::error::closed) {
        const auto& reason = ws_.reason();
        return report_close(reason.code == websocket::close_code::none ? 1005 : int(reason.code),
                            std::string(reason.reason.c_str()));
      }
      return fail(ec, "read");
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (ws_.got_text() && !user_closed_) {
      io_.ui().push([link = link_, text = std::move(text)] {
        if (link->closed) return;
        auto callback = link->callbacks.on_message;
        if (callback) callback(text);
      });
    }
    do_read();
  }

  void do_send(std::string text) {
    if (user_closed_ || reported_) return;
    queue_.push_back(std::move(text));
    if (open_ && !writing_) do_write();
  }

  void do_write() {
    writing_ = true;
    ws_.async_write(net::buffer(queue_.front()),
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    writing_ = false;
    if (ec) return fail(ec, "write");
    queue_.pop_front();
    if (close_after_write_) return do_close();
    if (!queue_.empty()) do_write();
  }

  // The person (the session) closes: a clean close handshake when open, otherwise
  // stop whatever step is in flight. Nothing is reported (the Link is already closed).
  void do_close() {
    user_closed_ = true;
    if (!open_) return shut();
    if (writing_) {
      close_after_write_ = true;
      return;
    }
    if (close_sent_) return;
    close_sent_ = true;
    ws_.async_close(websocket::close_reason(websocket::close_code::normal),
                    [self = this->shared_from_this()](beast::error_code) { self->shut(); });
  }

  void shut() {
    resolver_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(ws_).close();
  }

  void fail(beast::error_code ec, const char* what) {
    shut();
    if (!user_closed_) report_close(kAbnormalClosure, std::string(what) + ": " + ec.message());
  }

  void report_close(int code, std::string reason) {
    if (reported_) return;
    reported_ = true;
    queue_.clear();
    io_.ui().push([link = link_, code, reason = std::move(reason)] {
      if (link->closed) return;
      link->closed = true;
      auto callback = std::move(link->callbacks.on_close);
      link->callbacks = {};
      if (callback) callback(code, reason);
    });
  }

  IoThread& io_;
  std::shared_ptr<Link> link_;
  Url url_;
  WebSocketOptions options_;
  net::strand<net::io_context::executor_type> strand_;
  tcp::resolver resolver_;
  websocket::stream<Stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  bool open_ = false;
  bool writing_ = false;
  bool user_closed_ = false;
  bool close_after_write_ = false;
  bool close_sent_ = false;
  bool reported_ = false;
};

class BeastWebSocket final : public client::WebSocketTransport {
 public:
  BeastWebSocket(IoThread& io, WebSocketOptions options) : io_(io), options_(options) {}
  ~BeastWebSocket() override { close(); }

  void connect(const std::string& text, Callbacks callbacks) override {
    link_->callbacks = std::move(callbacks);
    auto url = parse_url(text);
    if (!url) {
      // Reported like any failed attempt, from the queue (never re-entrantly).
      io_.ui().push([link = link_, text] {
        if (link->closed) return;
        link->closed = true;
        auto callback = std::move(link->callbacks.on_close);
        link->callbacks = {};
        if (callback) callback(kAbnormalClosure, "invalid URL: " + text);
      });
      return;
    }
    if (url->scheme == "http") url->scheme = "ws";
    if (url->scheme == "https") url->scheme = "wss";
    if (url->secure()) {
      connection_ = std::make_shared<Connection<beast::ssl_stream<beast::tcp_stream>>>(io_, link_, *url, options_);
    } else {
      connection_ = std::make_shared<Connection<beast::tcp_stream>>(io_, link_, *url, options_);
    }
    connection_->start();
  }

  void send(std::string_view text) override {
    if (connection_ && !link_->closed) connection_->send(std::string(text));
  }

  void close() override {
    link_->closed = true;
    link_->callbacks = {};
    if (connection_) {
      connection_->close();
      connection_.reset();
    }
  }

 private:
  IoThread& io_;
  WebSocketOptions options_;
  std::shared_ptr<Link> link_ = std::make_shared<Link>();
  std::shared_ptr<ConnectionBase> connection_;
};

}  // namespace

client::TransportFactory beast_websocket_factory(IoThread& io, WebSocketOptions options) {
  return [&io, options] { return std::make_unique<BeastWebSocket>(io, options); };
}

}  // namespace harmonic::native
