// The cluster's fan-out on Redis pub/sub (docs/operations.md, "Cluster mode"): one
// channel per universe, harmonic:universe:<id>. Two connections, as Redis wants: one
// publishes, one is subscribed to every universe channel (PSUBSCRIBE) and hands each
// message to the hub. Either dropping makes the link not connected() (the hub then
// delivers to this node's members only) and is retried every second; when the
// subscription is back, the hub reads from PostgreSQL what it missed meanwhile.
#pragma once

#include <functional>
#include <string>
#include <string_view>

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
  };

  RedisLink(boost::asio::io_context& io, RedisEndpoint endpoint, std::string node_id, Handlers handlers);
  ~RedisLink() override;
  RedisLink(const RedisLink&) = delete;
  RedisLink& operator=(const RedisLink&) = delete;

  // Starts connecting; returns at once (the connections come up on the event loop).
  void start();

  bool publish(const std::string& universe_id, const std::string& message) override;
  bool connected() const override { return publisher_ready_ && subscribed_; }
  const std::string& node_id() const override { return node_id_; }

 private:
  void connect_publisher();
  void connect_subscriber();
  void retry_later(bool publisher);
  static void on_connect(const redisAsyncContext* context, int status);
  static void on_disconnect(const redisAsyncContext* context, int status);
  static void on_subscription(redisAsyncContext* context, void* reply, void* link);
  void lost(const redisAsyncContext* context, const char* why);

  boost::asio::io_context& io_;
  RedisEndpoint endpoint_;
  std::string node_id_;
  Handlers handlers_;
  redisAsyncContext* publisher_ = nullptr;
  redisAsyncContext* subscriber_ = nullptr;
  bool publisher_ready_ = false;
  bool subscribed_ = false;
  bool was_subscribed_ = false;
  bool stopping_ = false;
  boost::asio::steady_timer publisher_retry_;
  boost::asio::steady_timer subscriber_retry_;
};

}  // namespace harmonic::cluster
