#include "load/polling_client.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "protocol/engineio.hpp"

namespace harmonic::bench {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {
// Packets in one polling payload are separated by the record separator (docs/protocol.md,
// "Transports"; engine.io-protocol v4, "Payload encoding").
constexpr char payload_separator = '\x1e';
}  // namespace

struct PollingClient::Connection {
  explicit Connection(asio::io_context& io) : socket(io) {}
  asio::ip::tcp::socket socket;
  boost::beast::flat_buffer buffer;
  http::request<http::string_body> request;
  http::response<http::string_body> response;
  bool open = false;
  std::size_t answered = 0;  // responses read on this TCP connection
};

PollingClient::PollingClient(asio::io_context& io, ClientObserver& observer, std::size_t index)
    : SocketIoClient(observer, index), io_(io) {}

PollingClient::~PollingClient() = default;

std::string PollingClient::target() const {
  std::string path = "/socket.io/?EIO=4&transport=polling";
  if (!sid_.empty()) path += "&sid=" + sid_;
  return path;
}

void PollingClient::connect_transport(const asio::ip::tcp::endpoint& server) {
  server_ = server;
  host_ = server.address().to_string() + ":" + std::to_string(server.port());
  get_ = std::make_unique<Connection>(io_);
  post_ = std::make_unique<Connection>(io_);
  get_->socket.async_connect(server_, [this](const error_code& ec) {
    if (ec) return fail("connect: " + ec.message());
    error_code ignored;
    get_->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
    get_->open = true;
    poll();  // the first GET is the handshake
  });
}

void PollingClient::poll() {
  if (failed()) return;
  auto& get = *get_;
  get.request = {http::verb::get, target(), 11};
  get.request.set(http::field::host, host_);
  get.response = {};
  http::async_write(get.socket, get.request, [this](const error_code& ec, std::size_t) {
    if (ec) return fail("poll request: " + ec.message());
    http::async_read(get_->socket, get_->buffer, get_->response, [this](const error_code& read_ec, std::size_t) {
      if (read_ec) return fail(read_ec == http::error::end_of_stream ? "closed by server" : "poll: " + read_ec.message());
      on_polled();
    });
  });
}

void PollingClient::on_polled() {
  auto& response = get_->response;
  if (response.result() != http::status::ok) {
    return fail("poll refused: HTTP " + std::to_string(response.result_int()) + " " + response.body().substr(0, 120));
  }
  const bool keep_alive = response.keep_alive();
  const std::string body = std::move(response.body());
  std::string_view rest = body;
  while (!rest.empty() && !failed()) {
    const auto end = rest.find(payload_separator);
    const auto packet = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (sid_.empty() && !packet.empty() && packet.front() == static_cast<char>(protocol::EnginePacketType::open)) {
      const auto handshake = protocol::parse_engine_open(packet.substr(1));
      if (!handshake) return fail("bad Engine.IO open packet");
      sid_ = handshake->sid;
    }
    on_engine_packet(packet);
  }
  if (failed()) return;
  if (sid_.empty()) return fail("no Engine.IO open packet in the handshake answer");
  if (keep_alive) return poll();
  // The server closed this connection after its answer: the next GET goes on a new one.
  error_code ignored;
  get_->socket.close(ignored);
  get_ = std::make_unique<Connection>(io_);
  get_->socket.async_connect(server_, [this](const error_code& ec) {
    if (ec) return fail("reconnect: " + ec.message());
    get_->open = true;
    poll();
  });
}

void PollingClient::send_engine_packet(std::string_view packet) {
  if (failed()) return;
  if (!out_.empty()) out_.push_back(payload_separator);
  out_.append(packet);
  if (!posting_ && !sid_.empty()) post();
}

void PollingClient::post() {
  posting_ = true;
  post_retried_ = false;
  posting_body_.clear();
  std::swap(posting_body_, out_);
  send_post();
}

void PollingClient::send_post() {
  if (!post_->open) {
    post_->socket.async_connect(server_, [this](const error_code& ec) {
      if (ec) return fail("post connect: " + ec.message());
      error_code ignored;
      post_->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
      post_->open = true;
      send_post();
    });
    return;
  }
  auto& post = *post_;
  post.request = {http::verb::post, target(), 11};
  post.request.set(http::field::host, host_);
  post.request.set(http::field::content_type, "text/plain;charset=UTF-8");
  post.request.body() = posting_body_;
  post.request.prepare_payload();
  post.response = {};
  http::async_write(post.socket, post.request, [this](const error_code& ec, std::size_t) {
    if (ec) return on_posted(ec);
    http::async_read(post_->socket, post_->buffer, post_->response,
                     [this](const error_code& read_ec, std::size_t) { on_posted(read_ec); });
  });
}

void PollingClient::on_posted(const error_code& ec) {
  if (failed()) return;
  if (ec) {
    // A server may close a keep-alive connection that sat idle (Node's keepAliveTimeout
    // is 5 s); the POST it never answered goes again, once, on a new connection.
    if (post_->answered > 0 && !post_retried_) {
      post_retried_ = true;
      error_code ignored;
      post_->socket.close(ignored);
      post_ = std::make_unique<Connection>(io_);
      return send_post();
    }
    return fail("post: " + ec.message());
  }
  auto& response = post_->response;
  if (response.result() != http::status::ok) {
    return fail("post refused: HTTP " + std::to_string(response.result_int()) + " " + response.body().substr(0, 120));
  }
  ++post_->answered;
  if (!response.keep_alive()) {
    error_code ignored;
    post_->socket.close(ignored);
    post_ = std::make_unique<Connection>(io_);
  }
  posting_ = false;
  posting_body_.clear();
  if (!out_.empty()) post();
}

void PollingClient::close_transport() {
  error_code ignored;
  for (auto* connection : {get_.get(), post_.get()}) {
    if (!connection) continue;
    connection->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    connection->socket.close(ignored);
  }
}

}  // namespace harmonic::bench
