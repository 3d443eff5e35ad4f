// How many connections the server holds at once, in total and per client address.
//
// Why: without caps one address could hold hundreds of half-sent HTTP requests or idle
// WebSockets (each a file descriptor and buffers) until the process ran out of either.
// The total counts TCP connections as accepted (HTTP and WebSocket alike). The
// per-address count is charged to the client's address: the TCP peer, or, when the peer
// is a trusted proxy, the address it names in X-Forwarded-For (net/client_address.hpp),
// which is known only once a request's headers are read.
//
// A ConnectionSlot is held by whoever owns the connection (the HTTP session, then the
// WebSocket session) and gives its share back when destroyed. Single-threaded: only the
// I/O thread opens, charges and releases slots.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>

namespace harmonic::net {

class ConnectionCaps;

class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  ConnectionSlot(ConnectionSlot&& other) noexcept;
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot();

  // Charges this connection to `address` (moving the charge when another address held it).
  // False, with nothing changed, when that address is already at its cap.
  bool charge(const std::string& address);
  bool charged() const { return !address_.empty(); }
  const std::string& address() const { return address_; }  // "" before charge()

 private:
  friend class ConnectionCaps;
  explicit ConnectionSlot(ConnectionCaps& caps) : caps_(&caps) {}
  void release();

  ConnectionCaps* caps_ = nullptr;
  std::string address_;  // empty: not charged to an address yet
};

class ConnectionCaps {
 public:
  ConnectionCaps(std::size_t max_connections, std::size_t max_per_address)
      : max_connections_(max_connections), max_per_address_(max_per_address) {}
  // Must outlive every slot it handed out.
  ConnectionCaps(const ConnectionCaps&) = delete;
  ConnectionCaps& operator=(const ConnectionCaps&) = delete;

  // A slot for a new TCP connection, or nothing when the server is at its total cap.
  std::optional<ConnectionSlot> open();

  std::size_t open_connections() const { return open_; }
  std::size_t connections_from(const std::string& address) const;

 private:
  friend class ConnectionSlot;
  std::size_t max_connections_;
  std::size_t max_per_address_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace harmonic::net
