#include "app/open_cluster.hpp"

#include <chrono>
#include <stdexcept>

#include <spdlog/spdlog.h>

#ifdef HARMONIC_REDIS
#include "cluster/redis_link.hpp"
#endif

namespace harmonic::app {

std::unique_ptr<core::ClusterLink> open_cluster(const ServerOptions& options, boost::asio::io_context& io,
                                                core::RealtimeHub& hub, const std::string& node_id) {
  if (options.redis.empty()) return nullptr;
#ifdef HARMONIC_REDIS
  auto link = std::make_unique<cluster::RedisLink>(
      io, cluster::parse_redis_url(options.redis), node_id, std::chrono::seconds(options.presence_ttl_s),
      cluster::RedisLink::Handlers{
          [&hub](std::string_view message) { hub.on_cluster_message(message); },
          [&hub] { hub.on_cluster_reconnected(); },
          [&hub](const std::string& universe_id, const std::vector<core::PresenceEntry>& others) {
            hub.on_room_watched(universe_id, others);
          },
          [&hub](const std::string& presence_id) { hub.on_node_gone(presence_id); }});
  link->start();
  hub.set_cluster(link.get());
  spdlog::info("cluster mode: node {} fans out through {}", node_id, options.redis);
  return link;
#else
  (void)io;
  (void)hub;
  (void)node_id;
  throw std::runtime_error("--redis: this harmonic-server was built without hiredis (apt-get install libhiredis-dev)");
#endif
}

}  // namespace harmonic::app
