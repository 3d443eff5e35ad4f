// What every network session needs to reach: the realtime core, the REST handler and
// the connection registry, plus the transport limits. Owned by the Server.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "core/metrics.hpp"
#include "core/realtime_hub.hpp"
#include "http/api.hpp"
#include "net/client_address.hpp"
#include "net/connection_caps.hpp"
#include "net/connection_registry.hpp"
#include "net/origin_policy.hpp"
#include "net/polling_sessions.hpp"
#include "net/write_flusher.hpp"

namespace harmonic::net {

using RestHandler = std::function<http::ApiResponse(const http::ApiRequest&)>;

struct TransportLimits {
  std::uint32_t ping_interval_ms = 25000;
  std::uint32_t ping_timeout_ms = 20000;
  std::uint32_t max_payload = 1000000;        // bytes in one WebSocket message or polling POST (Engine.IO maxPayload)
  std::size_t max_http_body = 64 * 1024;      // REST bodies
  // Per WebSocket connection, every frame counted (the core's, pongs, close frames):
  // beyond these the peer is too slow and is dropped.
  std::size_t max_queued_bytes = 16 << 20;
  std::size_t max_queued_frames = 8192;
  // Backpressure: while the write backlog is over either mark the session stops reading
  // the peer. Low, so that many stuck peers cost little: a reading client drains it in
  // moments, and reading resumes below the mark.
  std::size_t read_pause_bytes = 256 * 1024;
  std::size_t read_pause_frames = 1024;
  // A held long-polling GET is answered (with a noop if need be) after at most this long:
  // below the 60 s idle timeout common to proxies and load balancers.
  std::uint32_t max_poll_hold_ms = 30000;
  std::uint32_t http_header_timeout_ms = 10000;  // a request's headers (slowloris), and idle keep-alive
  std::uint32_t http_timeout_ms = 30000;         // the body of one HTTP request, after its headers
};

// How long a kept-alive connection that carries long-polling requests may idle between
// them: a client answers a ping within ping_timeout, and the next ping comes
// ping_interval after, so its POST connection is silent for up to both; the grace covers
// a busy client or server. Longer than this the session itself is gone.
inline std::uint32_t polling_keep_alive_ms(const TransportLimits& limits) {
  constexpr std::uint32_t grace_ms = 5000;
  return limits.ping_interval_ms + limits.ping_timeout_ms + grace_ms;
}

struct ServerContext {
  core::RealtimeHub& hub;
  ConnectionRegistry& registry;
  core::Metrics& metrics;
  RestHandler rest;
  boost::asio::thread_pool& workers;  // for ApiResponse::offload
  WriteFlusher& flusher;              // every WebSocket write goes through it
  ConnectionCaps& caps;               // --max-connections, --max-connections-per-ip
  TransportLimits limits;
  bool shutting_down = false;
  TrustedProxies trusted_proxies;  // peers whose X-Forwarded-For names the client
  PollingSessions polling;         // Engine.IO sessions on the long-polling transport
  std::string node_id;             // the prefix of every sid (net/session_id.hpp)
  OriginPolicy origins;            // --cors-origin: who may call from another site
};

}  // namespace harmonic::net
