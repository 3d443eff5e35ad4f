#include "load/websocket_client.hpp"

#include <array>
#include <cstring>

#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "protocol/websocket_client_frame.hpp"

namespace harmonic::bench {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;

namespace {
constexpr std::size_t initial_buffer = 4096;     // idle connections stay small
constexpr std::size_t busy_buffer = 64 * 1024;   // a read that fills the buffer grows it to this
}  // namespace

struct WebSocketClient::Upgrade {
  http::request<http::empty_body> request;
  http::response<http::empty_body> response;
  boost::beast::flat_buffer buffer;
};

WebSocketClient::WebSocketClient(asio::io_context& io, ClientObserver& observer, std::size_t index)
    : SocketIoClient(observer, index), socket_(io), mask_state_(static_cast<std::uint32_t>(index * 2654435761u + 1)) {}

WebSocketClient::~WebSocketClient() = default;

void WebSocketClient::connect_transport(const asio::ip::tcp::endpoint& server) {
  host_ = server.address().to_string() + ":" + std::to_string(server.port());
  socket_.async_connect(server, [this](const error_code& ec) { on_connect(ec); });
}

void WebSocketClient::on_connect(const error_code& ec) {
  if (ec) return fail("connect: " + ec.message());
  error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  upgrade_ = std::make_unique<Upgrade>();
  auto& request = upgrade_->request;
  request.method(http::verb::get);
  request.target("/socket.io/?EIO=4&transport=websocket");
  request.version(11);
  request.set(http::field::host, host_);
  request.set(http::field::upgrade, "websocket");
  request.set(http::field::connection, "Upgrade");
  request.set(http::field::sec_websocket_key, "aGFybW9uaWMtYmVuY2gtMQ==");
  request.set(http::field::sec_websocket_version, "13");
  http::async_write(socket_, request, [this](const error_code& write_ec, std::size_t) {
    if (write_ec) return fail("upgrade request: " + write_ec.message());
    http::async_read(socket_, upgrade_->buffer, upgrade_->response, [this](const error_code& read_ec, std::size_t) {
      if (read_ec) return fail("upgrade response: " + read_ec.message());
      if (upgrade_->response.result() != http::status::switching_protocols) {
        return fail("upgrade refused: HTTP " + std::to_string(upgrade_->response.result_int()));
      }
      // Frames that arrived with the 101 response are already in Beast's buffer.
      const auto leftover = upgrade_->buffer.data();
      in_.resize(std::max(initial_buffer, leftover.size()));
      std::memcpy(in_.data(), leftover.data(), leftover.size());
      in_end_ = leftover.size();
      upgrade_.reset();
      consume_frames();
      if (!failed()) read_more();
    });
  });
}

void WebSocketClient::read_more() {
  if (in_end_ == in_.size()) in_.resize(std::max(in_.size() * 2, busy_buffer));
  const std::size_t room = in_.size() - in_end_;
  socket_.async_read_some(asio::buffer(in_.data() + in_end_, room), [this, room](const error_code& ec, std::size_t bytes) {
    if (ec) return fail(ec == asio::error::eof ? "closed by server" : "read: " + ec.message());
    in_end_ += bytes;
    consume_frames();
    if (failed()) return;
    // A read that filled all the room there was means more is waiting: read bigger.
    if (bytes == room && in_.size() < busy_buffer) in_.resize(busy_buffer);
    read_more();
  });
}

// Server frames are unmasked: FIN/opcode byte, 7-bit length (126: 16-bit, 127: 64-bit follows).
void WebSocketClient::consume_frames() {
  while (!failed()) {
    const std::size_t available = in_end_ - in_begin_;
    if (available < 2) break;
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + in_begin_);
    std::size_t header = 2;
    std::uint64_t length = p[1] & 0x7f;
    if (length == 126) {
      if (available < 4) break;
      length = (std::uint64_t{p[2]} << 8) | p[3];
      header = 4;
    } else if (length == 127) {
      if (available < 10) break;
      length = 0;
      for (int i = 2; i < 10; ++i) length = (length << 8) | p[i];
      header = 10;
    }
    if (p[1] & 0x80) return fail("server sent a masked frame");
    if (available < header + length) {
      if (header + length > in_.size()) {  // make room for the whole frame
        std::memmove(in_.data(), in_.data() + in_begin_, available);
        in_begin_ = 0;
        in_end_ = available;
        in_.resize(header + length);
      }
      break;
    }
    const bool fin = (p[0] & 0x80) != 0;
    const int opcode = p[0] & 0x0f;
    const std::string_view payload(in_.data() + in_begin_ + header, length);
    in_begin_ += header + length;
    on_frame(fin, opcode, payload);
  }
  if (in_begin_ == in_end_) {
    in_begin_ = in_end_ = 0;
  } else if (in_begin_ > 0 && in_end_ == in_.size()) {
    std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
    in_end_ -= in_begin_;
    in_begin_ = 0;
  }
}

void WebSocketClient::on_frame(bool fin, int opcode, std::string_view payload) {
  switch (opcode) {
    case 0x1:  // text
    case 0x0:  // continuation
      if (fin && fragments_.empty()) return on_engine_packet(payload);
      fragments_.append(payload);
      if (fin) {
        const std::string message = std::move(fragments_);
        fragments_.clear();
        on_engine_packet(message);
      }
      return;
    case 0x8: return fail("closed by server");
    case 0x9: return send_frame(0xA, payload);  // WebSocket ping -> pong
    default: return;
  }
}

// Client frames are masked (RFC 6455 section 5.3) with a key from a cheap generator.
void WebSocketClient::send_frame(int opcode, std::string_view payload) {
  if (failed()) return;
  mask_state_ ^= mask_state_ << 13;
  mask_state_ ^= mask_state_ >> 17;
  mask_state_ ^= mask_state_ << 5;
  std::array<char, 4> mask;
  std::memcpy(mask.data(), &mask_state_, 4);
  protocol::append_client_frame(out_, static_cast<std::uint8_t>(0x80 | opcode), payload, mask);  // final frame
  flush();
}

void WebSocketClient::flush() {
  if (writing_ || out_.empty() || failed()) return;
  writing_ = true;
  std::swap(out_, in_flight_);
  asio::async_write(socket_, asio::buffer(in_flight_), [this](const error_code& ec, std::size_t) {
    writing_ = false;
    in_flight_.clear();
    if (ec) return fail("write: " + ec.message());
    flush();
  });
}

void WebSocketClient::close_transport() {
  error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace harmonic::bench
