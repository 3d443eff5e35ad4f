#include "cluster/redis_link.hpp"

#include <chrono>
#include <stdexcept>

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include "cluster/redis_asio.hpp"

namespace harmonic::cluster {

namespace {

constexpr std::string_view kChannelPrefix = "harmonic:universe:";
constexpr auto kRetryAfter = std::chrono::seconds(1);

}  // namespace

RedisEndpoint parse_redis_url(const std::string& url) {
  constexpr std::string_view scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) throw std::invalid_argument("--redis must be redis://host[:port], not '" + url + "'");
  auto rest = url.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find_first_of("@/?") != std::string::npos) {
    throw std::invalid_argument("--redis takes redis://host[:port] only (no user, password or database): '" + url + "'");
  }
  RedisEndpoint endpoint;
  const auto colon = rest.rfind(':');
  endpoint.host = rest.substr(0, colon);
  if (colon != std::string::npos) {
    const auto port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535) {
      throw std::invalid_argument("--redis: '" + port + "' is not a port (1 to 65535)");
    }
    endpoint.port = std::stoi(port);
  }
  if (endpoint.host.empty()) throw std::invalid_argument("--redis: no host in '" + url + "'");
  return endpoint;
}

RedisLink::RedisLink(boost::asio::io_context& io, RedisEndpoint endpoint, std::string node_id, Handlers handlers)
    : io_(io), endpoint_(std::move(endpoint)), node_id_(std::move(node_id)), handlers_(std::move(handlers)),
      publisher_retry_(io), subscriber_retry_(io) {}

RedisLink::~RedisLink() {
  stopping_ = true;
  if (publisher_) redisAsyncFree(publisher_);
  if (subscriber_) redisAsyncFree(subscriber_);
}

void RedisLink::start() {
  connect_publisher();
  connect_subscriber();
}

void RedisLink::connect_publisher() {
  publisher_ = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
  if (!publisher_ || publisher_->err) {
    spdlog::warn("redis: cannot connect to {}:{}: {}", endpoint_.host, endpoint_.port,
                 publisher_ ? publisher_->errstr : "out of memory");
    if (publisher_) redisAsyncFree(publisher_);
    publisher_ = nullptr;
    retry_later(true);
    return;
  }
  publisher_->data = this;
  attach_to_asio(io_, publisher_);
  redisAsyncSetConnectCallback(publisher_, &RedisLink::on_connect);
  redisAsyncSetDisconnectCallback(publisher_, &RedisLink::on_disconnect);
}

void RedisLink::connect_subscriber() {
  subscriber_ = redisAsyncConnect(endpoint_.host.c_str(), endpoint_.port);
  if (!subscriber_ || subscriber_->err) {
    if (subscriber_) redisAsyncFree(subscriber_);
    subscriber_ = nullptr;
    retry_later(false);
    return;
  }
  subscriber_->data = this;
  attach_to_asio(io_, subscriber_);
  redisAsyncSetConnectCallback(subscriber_, &RedisLink::on_connect);
  redisAsyncSetDisconnectCallback(subscriber_, &RedisLink::on_disconnect);
  const std::string pattern = std::string(kChannelPrefix) + "*";
  redisAsyncCommand(subscriber_, &RedisLink::on_subscription, this, "PSUBSCRIBE %s", pattern.c_str());
}

void RedisLink::retry_later(bool publisher) {
  if (stopping_) return;
  auto& timer = publisher ? publisher_retry_ : subscriber_retry_;
  timer.expires_after(kRetryAfter);
  timer.async_wait([this, publisher](const boost::system::error_code& error) {
    if (error || stopping_) return;
    if (publisher) {
      connect_publisher();
    } else {
      connect_subscriber();
    }
  });
}

void RedisLink::on_connect(const redisAsyncContext* context, int status) {
  auto* link = static_cast<RedisLink*>(context->data);
  if (status != REDIS_OK) {
    // hiredis frees the context after this callback.
    link->lost(context, context->errstr);
    return;
  }
  if (context == link->publisher_) {
    link->publisher_ready_ = true;
    spdlog::info("redis: publishing to {}:{}", link->endpoint_.host, link->endpoint_.port);
  }
}

void RedisLink::on_disconnect(const redisAsyncContext* context, int status) {
  auto* link = static_cast<RedisLink*>(context->data);
  if (link->stopping_) return;
  link->lost(context, status == REDIS_OK ? "closed" : context->errstr);
}

void RedisLink::lost(const redisAsyncContext* context, const char* why) {
  const bool publisher = context == publisher_;
  if (publisher) {
    if (publisher_ready_) spdlog::warn("redis: publisher connection lost ({}); delivering to this node only", why);
    publisher_ = nullptr;
    publisher_ready_ = false;
  } else {
    if (subscribed_) spdlog::warn("redis: subscription lost ({}); delivering to this node only", why);
    subscriber_ = nullptr;
    subscribed_ = false;
  }
  retry_later(publisher);
}

void RedisLink::on_subscription(redisAsyncContext* /*context*/, void* reply_data, void* link_data) {
  auto* link = static_cast<RedisLink*>(link_data);
  const auto* reply = static_cast<const redisReply*>(reply_data);
  // Called with no reply when the connection goes away with the subscription pending.
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return;
  const std::string_view kind(reply->element[0]->str, reply->element[0]->len);
  if (kind == "psubscribe") {
    link->subscribed_ = true;
    spdlog::info("redis: subscribed to {}*", kChannelPrefix);
    if (link->was_subscribed_ && link->handlers_.reconnected) link->handlers_.reconnected();
    link->was_subscribed_ = true;
  } else if (kind == "pmessage" && reply->elements == 4 && reply->element[3]->type == REDIS_REPLY_STRING) {
    link->handlers_.message(std::string_view(reply->element[3]->str, reply->element[3]->len));
  }
}

bool RedisLink::publish(const std::string& universe_id, const std::string& message) {
  if (!publisher_ready_ || !publisher_) return false;
  const std::string channel = std::string(kChannelPrefix) + universe_id;
  return redisAsyncCommand(publisher_, nullptr, nullptr, "PUBLISH %b %b", channel.data(), channel.size(),
                           message.data(), message.size()) == REDIS_OK;
}

}  // namespace harmonic::cluster
