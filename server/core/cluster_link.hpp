// The core's view of the other nodes of a cluster (docs/operations.md, "Cluster mode"):
// one channel per universe that every node hears, itself included. RedisLink
// (server/cluster/redis_link.hpp) is the implementation; the hub never sees Redis.
#pragma once

#include <string>

namespace harmonic::core {

class ClusterLink {
 public:
  virtual ~ClusterLink() = default;
  // Sends `message` on the universe's channel; false (and nothing sent) when not connected.
  virtual bool publish(const std::string& universe_id, const std::string& message) = 0;
  // Whether published messages reach the other nodes now.
  virtual bool connected() const = 0;
  // This node's name, so that a node knows its own messages when they come back.
  virtual const std::string& node_id() const = 0;
};

}  // namespace harmonic::core
