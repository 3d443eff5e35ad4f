// One Socket.IO client connection, built for load. This class is the Socket.IO part
// shared by the transports: Engine.IO packets in (open, ping, message, close), CONNECT
// with the token, the universe join, and the benchmarked broadcasts handed on unparsed.
// A transport (websocket_client.*, polling_client.*) connects, carries Engine.IO packets
// both ways and says when it broke.
//
// Control traffic (open, CONNECT, join, errors) goes through the shared codec in
// shared/protocol. The two benchmarked events (parameter:updated, collaboration:cursor)
// are recognised by their prefix and handed to the observer unparsed, so that one
// load-generator thread can receive hundreds of thousands of messages per second
// without being the bottleneck it is measuring.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

namespace harmonic::bench {

class SocketIoClient;

enum class HotEvent { parameter_updated, cursor };

// Which Engine.IO transport a client uses from the start (no upgrade in either case).
enum class Transport { websocket, polling };

class ClientObserver {
 public:
  virtual ~ClientObserver() = default;
  // CONNECT was accepted and, if a universe was asked for, state:initial has arrived.
  virtual void on_ready(SocketIoClient& client) = 0;
  // `packet` is the Socket.IO event packet as received: 2["name",{...}]
  virtual void on_hot_event(SocketIoClient& client, HotEvent event, std::string_view packet) = 0;
  // system:error or rate_limit from the server (parsed with the shared codec).
  virtual void on_server_error(SocketIoClient& client, const std::string& name, const nlohmann::json& payload) = 0;
  // Refused, closed or broken; called once.
  virtual void on_failed(SocketIoClient& client, const std::string& why) = 0;
};

class SocketIoClient {
 public:
  SocketIoClient(ClientObserver& observer, std::size_t index);
  virtual ~SocketIoClient();
  SocketIoClient(const SocketIoClient&) = delete;
  SocketIoClient& operator=(const SocketIoClient&) = delete;

  // Connects, sends CONNECT {token} and, unless universe_id is empty, joins it.
  void start(const boost::asio::ip::tcp::endpoint& server, std::string token, std::string universe_id);
  // 42["name",payload], encoded by the shared codec and queued on the transport.
  void emit(std::string_view name, const nlohmann::json& payload);
  void close();

  std::size_t index() const { return index_; }
  bool ready() const { return ready_; }
  bool failed() const { return failed_; }
  // Bytes written by the client and not yet taken by the server's socket.
  virtual std::size_t queued_bytes() const = 0;
  std::int64_t started_us() const { return started_us_; }
  std::int64_t ready_us() const { return ready_us_; }

 protected:
  virtual void connect_transport(const boost::asio::ip::tcp::endpoint& server) = 0;
  virtual void send_engine_packet(std::string_view packet) = 0;
  virtual void close_transport() = 0;
  // One Engine.IO packet received (a type digit and its data).
  void on_engine_packet(std::string_view packet);
  void fail(const std::string& why);

 private:
  void on_socketio(std::string_view packet);
  void mark_ready();

  ClientObserver& observer_;
  std::size_t index_;
  std::string token_;
  std::string universe_id_;
  bool ready_ = false;
  bool failed_ = false;
  std::int64_t started_us_ = 0;
  std::int64_t ready_us_ = 0;
};

// A client on `transport`, not yet started.
std::unique_ptr<SocketIoClient> make_client(Transport transport, boost::asio::io_context& io, ClientObserver& observer,
                                            std::size_t index);

}  // namespace harmonic::bench
