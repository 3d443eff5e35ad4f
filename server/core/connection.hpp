// What the core knows about one realtime connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "core/outbox.hpp"
#include "core/token_bucket.hpp"

namespace harmonic::core {

struct Identity {
  std::string user_id;
  std::string username;
  // The token the identity came from: the connection is ended when it expires or is
  // revoked (token_deadlines.cpp).
  std::string token_id;
  std::int64_t token_expires_at_ms = 0;
  // The user's token generation the token was issued under: a password change bumps the
  // user's, and a socket whose token is of an older one is ended (token_deadlines.cpp).
  std::int64_t token_generation = 0;
};

struct Connection {
  Connection(ConnectionId id_, std::int64_t now_ms, double event_rate, double event_burst, double cursor_rate,
             double cursor_burst)
      : id(id_), opened_at_ms(now_ms), events(event_rate, event_burst, now_ms),
        cursors(cursor_rate, cursor_burst, now_ms) {}

  ConnectionId id;
  std::int64_t opened_at_ms;
  bool namespace_connected = false;  // Socket.IO CONNECT to "/" accepted
  std::optional<Identity> identity;
  std::set<std::string> joined;      // universe ids
  TokenBucket events;
  TokenBucket cursors;
  std::int64_t last_rate_notice_ms = 0;
  std::int64_t refused_in_window = 0;  // for cutting off clients that flood far past the limit
  std::int64_t refuse_window_start_ms = 0;
  // Cursor positions over budget wait here, latest wins, until the next tick.
  std::map<std::string, nlohmann::json> pending_cursors;  // universe id -> payload to broadcast
};

}  // namespace harmonic::core
