#include "native/beast_http_client.hpp"

#include <cstdio>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "native/url.hpp"

namespace harmonic::native {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

// One request on one connection (Connection: close), Beast-example style.
template <class Stream>
class Exchange final : public std::enable_shared_from_this<Exchange<Stream>> {
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  Exchange(IoThread& io, Url url, http::request<http::string_body> request, double timeout_s,
           std::function<void(client::HttpResponse)> done)
      : io_(io),
        url_(std::move(url)),
        request_(std::move(request)),
        timeout_(std::chrono::milliseconds(std::int64_t(timeout_s * 1000))),
        done_(std::move(done)),
        strand_(net::make_strand(io.context())),
        resolver_(strand_),
        stream_(make_stream(strand_, io)) {}

  void start() {
    net::post(strand_, [self = this->shared_from_this()] {
      beast::get_lowest_layer(self->stream_).expires_after(self->timeout_);
      self->resolver_.async_resolve(self->url_.host, self->url_.port,
                                    [self](beast::error_code ec, tcp::resolver::results_type r) {
                                      self->on_resolve(ec, std::move(r));
                                    });
    });
  }

 private:
  static Stream make_stream(net::strand<net::io_context::executor_type>& strand, IoThread& io) {
    if constexpr (kTls) {
      return Stream(strand, io.tls());
    } else {
      return Stream(strand);
    }
  }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail(ec, "resolve");
    beast::get_lowest_layer(stream_).async_connect(
        results, [self = this->shared_from_this()](beast::error_code e, const tcp::endpoint&) { self->on_connect(e); });
  }

  void on_connect(beast::error_code ec) {
    if (ec) return fail(ec, "connect");
    if constexpr (kTls) {
      if (!SSL_set_tlsext_host_name(stream_.native_handle(), url_.host.c_str())) return fail({}, "TLS SNI");
      stream_.set_verify_callback(ssl::host_name_verification(url_.host));
      stream_.async_handshake(ssl::stream_base::client, [self = this->shared_from_this()](beast::error_code e) {
        if (e) return self->fail(e, "TLS handshake");
        self->do_write();
      });
    } else {
      do_write();
    }
  }

  void do_write() {
    http::async_write(stream_, request_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail(ec, "write");
      self->parser_.body_limit(std::uint64_t(64) << 20);
      http::async_read(self->stream_, self->buffer_, self->parser_,
                       [self](beast::error_code e, std::size_t) {
                         if (e) return self->fail(e, "read");
                         auto& response = self->parser_.get();
                         self->finish(int(response.result_int()), std::move(response.body()));
                       });
    });
  }

  // The request did not reach the server (or its answer did not reach us): status 0,
  // and one line on stderr for whoever supports the person.
  void fail(beast::error_code ec, const char* step) {
    std::fprintf(stderr, "harmonic-desktop: %s %s://%s:%s%s: %s failed: %s\n", std::string(request_.method_string()).c_str(),
                 url_.scheme.c_str(), url_.host.c_str(), url_.port.c_str(), url_.target.c_str(), step,
                 ec ? ec.message().c_str() : "error");
    finish(0, {});
  }

  void finish(int status, std::string body) {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
    if (!done_) return;
    io_.ui().push([done = std::move(done_), status, body = std::move(body)]() mutable {
      done(client::HttpResponse{status, std::move(body)});
    });
    done_ = nullptr;
  }

  IoThread& io_;
  Url url_;
  http::request<http::string_body> request_;
  std::chrono::milliseconds timeout_;
  std::function<void(client::HttpResponse)> done_;
  net::strand<net::io_context::executor_type> strand_;
  tcp::resolver resolver_;
  Stream stream_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
};

}  // namespace

void BeastHttpClient::request(const client::HttpRequest& request, std::function<void(client::HttpResponse)> done) {
  auto url = parse_url(request.url);
  if (!url || url->scheme == "ws" || url->scheme == "wss") {
    io_.ui().push([done = std::move(done)] {
      if (done) done(client::HttpResponse{0, {}});
    });
    return;
  }
  http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) verb = http::verb::get;
  http::request<http::string_body> message{verb, url->target, 11};
  message.set(http::field::host, url->host_header());
  message.set(http::field::user_agent, "harmonic-desktop");
  message.set(http::field::accept, "application/json");
  if (!request.bearer_token.empty()) message.set(http::field::authorization, "Bearer " + request.bearer_token);
  if (!request.body.empty()) {
    message.set(http::field::content_type, "application/json");
    message.body() = request.body;
  }
  message.keep_alive(false);
  message.prepare_payload();

  if (url->secure()) {
    std::make_shared<Exchange<beast::ssl_stream<beast::tcp_stream>>>(io_, *url, std::move(message), timeout_s_,
                                                                      std::move(done))
        ->start();
  } else {
    std::make_shared<Exchange<beast::tcp_stream>>(io_, *url, std::move(message), timeout_s_, std::move(done))->start();
  }
}

}  // namespace harmonic::native
