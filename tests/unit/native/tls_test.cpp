// TLS for https:// and wss:// servers: a small TLS-terminating proxy (Asio, in this
// test) in front of the real harmonic-server, with throwaway certificates made by the
// openssl command. The desktop's HTTP client and WebSocket transport must trust the
// certificate given with --ca-file, and refuse an unknown one or one for another name.
#include "test_support.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

using namespace native_test;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

// A self-signed certificate (and key) whose subjectAltName is `san`.
struct Certificate {
  fs::path cert, key;
};

Certificate make_certificate(const fs::path& dir, const std::string& name, const std::string& san) {
  fs::create_directories(dir);
  Certificate c{dir / (name + ".pem"), dir / (name + ".key")};
  const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=harmonic-test -addext "
                              "subjectAltName=" + san + " -keyout " + c.key.string() + " -out " + c.cert.string() +
                              " >/dev/null 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  return c;
}

// Accepts TLS on 127.0.0.1 and pipes the plain bytes to a backend port.
class TlsProxy {
 public:
  TlsProxy(const Certificate& certificate, int backend_port)
      : tls_(ssl::context::tls_server), acceptor_(io_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)),
        backend_port_(backend_port) {
    tls_.use_certificate_chain_file(certificate.cert.string());
    tls_.use_private_key_file(certificate.key.string(), ssl::context::pem);
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TlsProxy() {
    io_.stop();
    thread_.join();
  }
  int port() const { return acceptor_.local_endpoint().port(); }

 private:
  struct Pipe : std::enable_shared_from_this<Pipe> {
    Pipe(tcp::socket socket, ssl::context& tls) : front(std::move(socket), tls), back(front.get_executor()) {}
    ssl::stream<tcp::socket> front;
    tcp::socket back;
    std::array<char, 16384> up{}, down{};

    void start(int port) {
      auto self = shared_from_this();
      front.async_handshake(ssl::stream_base::server, [self, port](boost::system::error_code ec) {
        if (ec) return;
        self->back.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), std::uint16_t(port)),
                                 [self](boost::system::error_code e) {
                                   if (e) return self->stop();
                                   self->pump_up();
                                   self->pump_down();
                                 });
      });
    }
    void pump_up() {  // client -> server
      auto self = shared_from_this();
      front.async_read_some(net::buffer(up), [self](boost::system::error_code ec, std::size_t n) {
        if (ec) return self->stop();
        net::async_write(self->back, net::buffer(self->up, n), [self](boost::system::error_code e, std::size_t) {
          if (e) return self->stop();
          self->pump_up();
        });
      });
    }
    void pump_down() {  // server -> client
      auto self = shared_from_this();
      back.async_read_some(net::buffer(down), [self](boost::system::error_code ec, std::size_t n) {
        if (ec) return self->stop();
        net::async_write(self->front, net::buffer(self->down, n), [self](boost::system::error_code e, std::size_t) {
          if (e) return self->stop();
          self->pump_down();
        });
      });
    }
    void stop() {
      boost::system::error_code ignored;
      back.close(ignored);
      front.lowest_layer().close(ignored);
    }
  };

  void accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (!ec) std::make_shared<Pipe>(std::move(socket), tls_)->start(backend_port_);
      accept();
    });
  }

  net::io_context io_;
  ssl::context tls_;
  tcp::acceptor acceptor_;
  int backend_port_;
  std::thread thread_;
};

client::HttpResponse get(native::IoThread& io, const std::string& url) {
  native::BeastHttpClient http(io);
  std::optional<client::HttpResponse> response;
  http.request({"GET", url, "", ""}, [&](client::HttpResponse r) { response = std::move(r); });
  REQUIRE(pump(io, nullptr, [&] { return response.has_value(); }));
  return *response;
}

}  // namespace

TEST_CASE("native: https and wss through TLS, trusting the --ca-file certificate") {
  const fs::path dir = fs::temp_directory_path() / ("harmonic-tls-test-" + std::to_string(::getpid()));
  const Certificate good = make_certificate(dir, "good", "IP:127.0.0.1,DNS:localhost");
  const Certificate other = make_certificate(dir, "other", "DNS:other.example");
  ServerProcess server;
  const int port = server.start();
  TlsProxy proxy(good, port);
  TlsProxy wrong_name(other, port);
  const std::string https = "https://127.0.0.1:" + std::to_string(proxy.port());

  SECTION("trusted: HTTP and the Socket.IO session work over TLS") {
    native::IoThread io(native::TlsOptions{good.cert.string()});
    native::BeastHttpClient http(io);
    const std::string token = register_user(io, http, https, "tls_user");
    CHECK(get(io, https + "/api/auth/me").status == 401);  // reached the server, without a token

    client::Session session(native::beast_websocket_factory(io), client::ReconnectPolicy{1, 100, 100, 1, 0});
    Recorder r;
    session.set_handlers(r.handlers());
    session.open(client::socket_url_for(https), {{"token", token}}, now_ms());
    CHECK(client::socket_url_for(https).rfind("wss://", 0) == 0);
    REQUIRE(pump(io, &session, [&] { return r.connected == 1; }));
    session.close();
  }

  SECTION("an unknown certificate is refused") {
    native::IoThread io;  // system roots only
    CHECK(get(io, https + "/api/auth/me").status == 0);
    auto transport = native::beast_websocket_factory(io)();
    std::optional<int> code;
    transport->connect(client::socket_url_for(https), {{}, {}, [&](int c, std::string) { code = c; }});
    REQUIRE(pump(io, nullptr, [&] { return code.has_value(); }));
    CHECK(*code == 1006);
  }

  SECTION("a trusted certificate for another name is refused") {
    native::IoThread io(native::TlsOptions{other.cert.string()});
    CHECK(get(io, "https://127.0.0.1:" + std::to_string(wrong_name.port()) + "/api/auth/me").status == 0);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}
