// The core's view of the other nodes of a cluster (docs/cluster.md): one channel per
// universe, heard by the nodes that have members in it (itself included), and a shared
// table of who is present in which universe. RedisLink (server/cluster/redis_link.hpp)
// is the implementation; the hub never sees Redis.
#pragma once

#include <string>

namespace harmonic::core {

// One user present in a universe through one node (docs/cluster.md, "Presence").
struct PresenceEntry {
  std::string node;  // the presence id of the node they are connected to
  std::string user_id;
  std::string username;
  std::string status = "active";
};

class ClusterLink {
 public:
  virtual ~ClusterLink() = default;
  // Sends `message` on the universe's channel; false (and nothing sent) when not connected.
  virtual bool publish(const std::string& universe_id, const std::string& message) = 0;
  // Sends `message` to every node, on the channel they all always hear, for what is about
  // no one universe (a token revoked over REST); false (and nothing sent) when not connected.
  // It comes back to each node's hub, this one's included, as any universe's message does.
  virtual bool publish_to_all(const std::string& message) = 0;
  // Whether published messages reach the other nodes now.
  virtual bool connected() const = 0;
  // This node's name, so that a node knows its own messages when they come back.
  virtual const std::string& node_id() const = 0;
  // This process's name in the presence table: the node id and a suffix drawn at start,
  // so a node restarted under the same id does not bring back its dead process's users.
  virtual const std::string& presence_id() const = 0;

  // Per-room subscriptions: this node hears a universe's channel between watch() and
  // unwatch(). Once a subscription is confirmed (and again after every reconnect) the
  // link reads the other nodes' presence entries for the universe and hands them to the
  // hub (RealtimeHub::on_room_watched), then what the channel brought meanwhile.
  virtual void watch(const std::string& universe_id) = 0;
  // Also removes this node's presence entries for the universe.
  virtual void unwatch(const std::string& universe_id) = 0;

  // This node's entry for a user in the universe's presence table, kept alive by the link
  // (refreshed well within its time to live) until cleared.
  virtual void set_presence(const std::string& universe_id, const PresenceEntry& entry) = 0;
  virtual void clear_presence(const std::string& universe_id, const std::string& user_id) = 0;
};

}  // namespace harmonic::core
