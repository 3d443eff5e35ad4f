// What every network session needs to reach: the realtime core, the REST handler and
// the connection registry, plus the transport limits. Owned by the Server.
#pragma once

#include <cstdint>
#include <functional>

#include <boost/asio/thread_pool.hpp>

#include "core/metrics.hpp"
#include "core/realtime_hub.hpp"
#include "http/api.hpp"
#include "net/client_address.hpp"
#include "net/connection_registry.hpp"
#include "net/write_flusher.hpp"

namespace harmonic::net {

using RestHandler = std::function<http::ApiResponse(const http::ApiRequest&)>;

struct TransportLimits {
  std::uint32_t ping_interval_ms = 25000;
  std::uint32_t ping_timeout_ms = 20000;
  std::uint32_t max_payload = 1000000;        // bytes in one WebSocket message (Engine.IO maxPayload)
  std::size_t max_http_body = 64 * 1024;      // REST bodies
  std::size_t max_queued_bytes = 16 << 20;    // per connection; beyond it the peer is too slow
  std::size_t max_queued_frames = 8192;
  std::uint32_t http_timeout_ms = 30000;      // reading one HTTP request
};

struct ServerContext {
  core::RealtimeHub& hub;
  ConnectionRegistry& registry;
  core::Metrics& metrics;
  RestHandler rest;
  boost::asio::thread_pool& workers;  // for ApiResponse::offload
  WriteFlusher& flusher;              // every WebSocket write goes through it
  TransportLimits limits;
  bool shutting_down = false;
  TrustedProxies trusted_proxies;  // peers whose X-Forwarded-For names the client
};

}  // namespace harmonic::net
