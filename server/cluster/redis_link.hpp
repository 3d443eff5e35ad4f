// The cluster's fan-out and presence on Redis (docs/cluster.md). Two connections, as
// Redis wants: one is subscribed, one sends everything else.
//
// Subscriptions: `harmonic:nodes` always (every node's liveness beat, and the messages
// for every node: publish_to_all), and
// `harmonic:universe:<id>` for each universe this node has members in (watch/unwatch).
// When a universe's subscription is confirmed, the other nodes' entries in its presence
// table are read and handed over before anything its channel brought meanwhile.
//
// Presence: the hash `harmonic:presence:<universe>` holds one field per user per node
// ("<presence id> <user id>" -> {"i","u","name","s"}); the sorted set `harmonic:alive`
// holds each node's presence id scored by when its liveness ends (wall-clock ms). Every
// ttl/3 a node renews its score, rewrites its own fields (so a restarted Redis gets them
// back) and publishes its id on `harmonic:nodes`. A node not heard for `ttl` is gone: its
// users leave every room (Handlers::node_gone) and readers delete its fields.
//
// Either connection dropping makes the link not connected() (the hub then delivers to
// this node's members only) and is retried every second; when the subscription is back,
// the hub reads from PostgreSQL what it missed meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/cluster_link.hpp"

struct redisAsyncContext;

namespace harmonic::cluster {

struct RedisEndpoint {
  std::string host;
  int port = 6379;
};

// "redis://host[:port]" (no user, password or database: not used here); throws
// std::invalid_argument saying what is wrong.
RedisEndpoint parse_redis_url(const std::string& url);

class RedisLink final : public core::ClusterLink {
 public:
  struct Handlers {
    std::function<void(std::string_view message)> message;
    std::function<void()> reconnected;  // the subscription is back after having been lost
    // A universe's channel is subscribed; the other nodes' live presence entries.
    std::function<void(const std::string& universe_id, const std::vector<core::PresenceEntry>& others)> watched;
    std::function<void(const std::string& presence_id)> node_gone;
  };

  // `presence_ttl`: how long a node's users outlive its last liveness beat (--presence-ttl).
  RedisLink(boost::asio::io_context& io, RedisEndpoint endpoint, std::string node_id, std::chrono::milliseconds presence_ttl,
            Handlers handlers);
  ~RedisLink() override;
  RedisLink(const RedisLink&) = delete;
  RedisLink& operator=(const RedisLink&) = delete;

  // Starts connecting; returns at once (the connections come up on the event loop).
  void start();

  bool publish(const std::string& universe_id, const std::string& message) override;
  bool publish_to_all(const std::string& message) override;
  bool connected() const override { return publisher_ready_ && subscribed_; }
  const std::string& node_id() const override { return node_id_; }
  const std::string& presence_id() const override { return presence_id_; }
  void watch(const std::string& universe_id) override;
  void unwatch(const std::string& universe_id) override;
  void set_presence(const std::string& universe_id, const core::PresenceEntry& entry) override;
  void clear_presence(const std::string& universe_id, const std::string& user_id) override;

 private:
  struct SnapshotRead;
  void connect_publisher();
  void connect_subscriber();
  void retry_later(bool publisher);
  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);
  static void on_subscription(redisAsyncContext* context, void* reply, void* link);
  static void on_presence_fields(redisAsyncContext* context, void* reply, void* read);
  static void on_alive_nodes(redisAsyncContext* context, void* reply, void* read);
  void lost(const redisAsyncContext* context, const char* why);
  void subscribe(const std::string& universe_id);
  void read_snapshot(const std::string& universe_id);
  void snapshot_read(SnapshotRead& read, const std::set<std::string>& alive);
  void write_presence(const std::string& universe_id);
  void beat();
  void schedule_beat();
  void check_peers();
  void schedule_peer_check();

  boost::asio::io_context& io_;
  RedisEndpoint endpoint_;
  std::string node_id_;
  std::string presence_id_;
  std::chrono::milliseconds presence_ttl_;
  Handlers handlers_;
  redisAsyncContext* publisher_ = nullptr;
  redisAsyncContext* subscriber_ = nullptr;
  bool publisher_ready_ = false;
  bool subscribed_ = false;
  bool was_subscribed_ = false;
  bool stopping_ = false;
  boost::asio::steady_timer publisher_retry_;
  boost::asio::steady_timer subscriber_retry_;
  boost::asio::steady_timer beat_timer_;
  boost::asio::steady_timer peer_timer_;
  std::set<std::string> watched_;
  // Subscribed universes whose presence read has not come back: their channel's messages
  // wait here so that none is applied before the (older) table.
  struct Awaiting {
    std::uint64_t generation = 0;  // of the SUBSCRIBE: a read made for an older one is stale
    bool subscribed = false;       // confirmed: the table may be read now
    std::vector<std::string> held;
  };
  std::unordered_map<std::string, Awaiting> awaiting_snapshot_;
  std::uint64_t generation_ = 0;
  // This node's entries: universe -> user -> the hash value.
  std::map<std::string, std::map<std::string, std::string>> own_presence_;
  // Other nodes by presence id: when each was last heard.
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> peers_;
};

}  // namespace harmonic::cluster
