#include "cluster/redis_link.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <stdexcept>

#include <hiredis/async.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "cluster/redis_asio.hpp"

namespace harmonic::cluster {

namespace {

constexpr std::string_view kChannelPrefix = "harmonic:universe:";
constexpr std::string_view kNodesChannel = "harmonic:nodes";
constexpr std::string_view kPresencePrefix = "harmonic:presence:";
constexpr std::string_view kAliveKey = "harmonic:alive";
constexpr auto kRetryAfter = std::chrono::seconds(1);

std::string channel_of(const std::string& universe_id) { return std::string(kChannelPrefix) + universe_id; }
std::string presence_key(const std::string& universe_id) { return std::string(kPresencePrefix) + universe_id; }
std::string presence_field(const std::string& presence_id, const std::string& user_id) {
  return presence_id + " " + user_id;
}

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The node id and 8 random hex digits (docs/cluster.md, "Presence").
std::string new_presence_id(const std::string& node_id) {
  std::random_device random;
  return node_id + "." + fmt::format("{:08x}", random());
}

// Runs one command given as separate arguments (binary safe, any number of them).
void run_command(redisAsyncContext* context, const std::vector<std::string>& args, redisCallbackFn* callback = nullptr,
          void* data = nullptr) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  redisAsyncCommandArgv(context, callback, data, static_cast<int>(args.size()), argv.data(), lengths.data());
}

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

struct RedisLink::SnapshotRead {
  RedisLink* link;
  std::string universe_id;
  std::uint64_t generation;
  std::vector<std::string> values;  // the hash's values
};

RedisLink::RedisLink(boost::asio::io_context& io, RedisEndpoint endpoint, std::string node_id,
                     std::chrono::milliseconds presence_ttl, Handlers handlers)
    : io_(io), endpoint_(std::move(endpoint)), node_id_(std::move(node_id)), presence_id_(new_presence_id(node_id_)),
      presence_ttl_(presence_ttl), handlers_(std::move(handlers)), publisher_retry_(io), subscriber_retry_(io),
      beat_timer_(io), peer_timer_(io) {}

RedisLink::~RedisLink() {
  stopping_ = true;
  if (publisher_) redisAsyncFree(publisher_);
  if (subscriber_) redisAsyncFree(subscriber_);
}

void RedisLink::start() {
  connect_publisher();
  connect_subscriber();
  schedule_beat();
  schedule_peer_check();
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
  run_command(subscriber_, {"SUBSCRIBE", std::string(kNodesChannel)}, &RedisLink::on_subscription, this);
  awaiting_snapshot_.clear();
  for (const auto& universe_id : watched_) subscribe(universe_id);
}

void RedisLink::subscribe(const std::string& universe_id) {
  awaiting_snapshot_[universe_id] = Awaiting{++generation_, false, {}};
  run_command(subscriber_, {"SUBSCRIBE", channel_of(universe_id)}, &RedisLink::on_subscription, this);
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
    spdlog::info("redis: publishing to {}:{} as {}", link->endpoint_.host, link->endpoint_.port, link->presence_id_);
    link->beat();  // this node's liveness and entries, at once (Redis may have restarted empty)
    for (const auto& [universe_id, awaiting] : link->awaiting_snapshot_) {
      if (awaiting.subscribed) link->read_snapshot(universe_id);
    }
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
    awaiting_snapshot_.clear();  // the next connection subscribes again
  }
  retry_later(publisher);
}

void RedisLink::on_subscription(redisAsyncContext* /*context*/, void* reply_data, void* link_data) {
  auto* link = static_cast<RedisLink*>(link_data);
  const auto* reply = static_cast<const redisReply*>(reply_data);
  // Called with no reply when the connection goes away with the subscription pending.
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) return;
  if (reply->element[0]->type != REDIS_REPLY_STRING || reply->element[1]->type != REDIS_REPLY_STRING) return;
  const std::string_view kind(reply->element[0]->str, reply->element[0]->len);
  const std::string_view channel(reply->element[1]->str, reply->element[1]->len);
  const bool universe_channel = channel.substr(0, kChannelPrefix.size()) == kChannelPrefix;
  const auto universe_id = universe_channel ? std::string(channel.substr(kChannelPrefix.size())) : std::string();
  if (kind == "subscribe" && channel == kNodesChannel) {
    link->subscribed_ = true;
    // Nobody was heard while the subscription was down: every peer gets a full ttl again.
    for (auto& [peer, heard] : link->peers_) heard = std::chrono::steady_clock::now();
    spdlog::info("redis: subscribed to {} and {} universe channels", kNodesChannel, link->watched_.size());
    if (link->was_subscribed_ && link->handlers_.reconnected) link->handlers_.reconnected();
    link->was_subscribed_ = true;
  } else if (kind == "subscribe" && universe_channel) {
    const auto awaiting = link->awaiting_snapshot_.find(universe_id);
    if (awaiting == link->awaiting_snapshot_.end() || !link->watched_.contains(universe_id)) return;
    awaiting->second.subscribed = true;
    link->read_snapshot(universe_id);
  } else if (kind == "message" && reply->element[2]->type == REDIS_REPLY_STRING) {
    std::string payload(reply->element[2]->str, reply->element[2]->len);
    if (channel == kNodesChannel) {
      // A beat is a presence id (never starts with '{': valid node ids); anything else
      // is a message for every node (publish_to_all).
      if (payload.starts_with('{')) {
        link->handlers_.message(payload);
      } else if (payload != link->presence_id_) {
        link->peers_[payload] = std::chrono::steady_clock::now();
      }
      return;
    }
    if (!universe_channel || !link->watched_.contains(universe_id)) return;
    if (const auto awaiting = link->awaiting_snapshot_.find(universe_id); awaiting != link->awaiting_snapshot_.end()) {
      awaiting->second.held.push_back(std::move(payload));
      return;
    }
    link->handlers_.message(payload);
  }
}

void RedisLink::read_snapshot(const std::string& universe_id) {
  if (!publisher_ready_ || !publisher_) return;  // read when the publisher connects
  auto* read = new SnapshotRead{this, universe_id, awaiting_snapshot_[universe_id].generation, {}};
  // Two replies in order on one connection: the table, then who is alive. hiredis calls
  // both callbacks (with no reply when the connection drops), so the second one frees.
  run_command(publisher_, {"HVALS", presence_key(universe_id)}, &RedisLink::on_presence_fields, read);
  run_command(publisher_, {"ZRANGEBYSCORE", std::string(kAliveKey), std::to_string(wall_ms()), "+inf"},
       &RedisLink::on_alive_nodes, read);
}

void RedisLink::on_presence_fields(redisAsyncContext* /*context*/, void* reply_data, void* read_data) {
  auto* read = static_cast<SnapshotRead*>(read_data);
  const auto* reply = static_cast<const redisReply*>(reply_data);
  if (!reply || reply->type != REDIS_REPLY_ARRAY) return;
  for (std::size_t i = 0; i < reply->elements; ++i) {
    if (reply->element[i]->type == REDIS_REPLY_STRING) read->values.emplace_back(reply->element[i]->str, reply->element[i]->len);
  }
}

void RedisLink::on_alive_nodes(redisAsyncContext* /*context*/, void* reply_data, void* read_data) {
  std::unique_ptr<SnapshotRead> read(static_cast<SnapshotRead*>(read_data));
  const auto* reply = static_cast<const redisReply*>(reply_data);
  if (!reply || reply->type != REDIS_REPLY_ARRAY) return;  // read again when the publisher is back
  std::set<std::string> alive;
  for (std::size_t i = 0; i < reply->elements; ++i) {
    if (reply->element[i]->type == REDIS_REPLY_STRING) alive.emplace(reply->element[i]->str, reply->element[i]->len);
  }
  read->link->snapshot_read(*read, alive);
}

void RedisLink::snapshot_read(SnapshotRead& read, const std::set<std::string>& alive) {
  const auto awaiting = awaiting_snapshot_.find(read.universe_id);
  if (awaiting == awaiting_snapshot_.end() || awaiting->second.generation != read.generation) return;  // stale
  std::vector<core::PresenceEntry> others;
  const auto now = std::chrono::steady_clock::now();
  for (const auto& value : read.values) {
    const auto item = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (!item.is_object()) continue;
    core::PresenceEntry entry{item.value("i", std::string()), item.value("u", std::string()),
                              item.value("name", std::string()), item.value("s", std::string("active"))};
    if (entry.node.empty() || entry.user_id.empty() || entry.node == presence_id_) continue;
    if (!alive.contains(entry.node)) {
      // A dead node's entry: nobody else will remove it.
      run_command(publisher_, {"HDEL", presence_key(read.universe_id), presence_field(entry.node, entry.user_id)});
      continue;
    }
    peers_.try_emplace(entry.node, now);  // it beats within ttl/3 if it is really alive
    others.push_back(std::move(entry));
  }
  auto held = std::move(awaiting->second.held);
  awaiting_snapshot_.erase(awaiting);
  handlers_.watched(read.universe_id, others);
  for (const auto& message : held) {
    if (!watched_.contains(read.universe_id)) break;  // the room closed meanwhile
    handlers_.message(message);
  }
}

void RedisLink::watch(const std::string& universe_id) {
  if (!watched_.insert(universe_id).second) return;
  if (subscriber_) subscribe(universe_id);  // otherwise with every watched one on connecting
}

void RedisLink::unwatch(const std::string& universe_id) {
  if (watched_.erase(universe_id) == 0) return;
  awaiting_snapshot_.erase(universe_id);
  if (const auto own = own_presence_.find(universe_id); own != own_presence_.end()) {
    std::vector<std::string> users;
    for (const auto& [user_id, value] : own->second) users.push_back(user_id);
    for (const auto& user_id : users) clear_presence(universe_id, user_id);
  }
  // Not subscribed: the next connection subscribes only to what is watched then.
  if (subscriber_ && subscribed_) run_command(subscriber_, {"UNSUBSCRIBE", channel_of(universe_id)});
}

void RedisLink::set_presence(const std::string& universe_id, const core::PresenceEntry& entry) {
  own_presence_[universe_id][entry.user_id] =
      nlohmann::json{{"i", presence_id_}, {"u", entry.user_id}, {"name", entry.username}, {"s", entry.status}}.dump();
  if (!publisher_ready_ || !publisher_) return;  // written by the next beat
  run_command(publisher_, {"HSET", presence_key(universe_id), presence_field(presence_id_, entry.user_id),
                    own_presence_[universe_id][entry.user_id]});
  run_command(publisher_, {"PEXPIRE", presence_key(universe_id), std::to_string(presence_ttl_.count())});
}

void RedisLink::clear_presence(const std::string& universe_id, const std::string& user_id) {
  if (const auto own = own_presence_.find(universe_id); own != own_presence_.end()) {
    own->second.erase(user_id);
    if (own->second.empty()) own_presence_.erase(own);
  }
  if (!publisher_ready_ || !publisher_) return;
  run_command(publisher_, {"HDEL", presence_key(universe_id), presence_field(presence_id_, user_id)});
}

void RedisLink::write_presence(const std::string& universe_id) {
  const auto own = own_presence_.find(universe_id);
  if (own == own_presence_.end()) return;
  std::vector<std::string> args{"HSET", presence_key(universe_id)};
  for (const auto& [user_id, value] : own->second) {
    args.push_back(presence_field(presence_id_, user_id));
    args.push_back(value);
  }
  run_command(publisher_, args);
  run_command(publisher_, {"PEXPIRE", presence_key(universe_id), std::to_string(presence_ttl_.count())});
}

void RedisLink::beat() {
  if (!publisher_ready_ || !publisher_) return;
  const auto now = wall_ms();
  run_command(publisher_, {"ZADD", std::string(kAliveKey), std::to_string(now + presence_ttl_.count()), presence_id_});
  run_command(publisher_, {"ZREMRANGEBYSCORE", std::string(kAliveKey), "-inf", std::to_string(now)});
  run_command(publisher_, {"PUBLISH", std::string(kNodesChannel), presence_id_});
  for (const auto& [universe_id, users] : own_presence_) write_presence(universe_id);
}

void RedisLink::schedule_beat() {
  beat_timer_.expires_after(presence_ttl_ / 3);
  beat_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    beat();
    schedule_beat();
  });
}

void RedisLink::check_peers() {
  if (!subscribed_) return;  // nobody can be heard now: not a sign of death
  const auto now = std::chrono::steady_clock::now();
  std::vector<std::string> gone;
  for (const auto& [peer, heard] : peers_) {
    if (now - heard > presence_ttl_) gone.push_back(peer);
  }
  for (const auto& peer : gone) {
    peers_.erase(peer);
    if (handlers_.node_gone) handlers_.node_gone(peer);
  }
}

void RedisLink::schedule_peer_check() {
  peer_timer_.expires_after(std::min<std::chrono::milliseconds>(std::chrono::seconds(1), presence_ttl_ / 3));
  peer_timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopping_) return;
    check_peers();
    schedule_peer_check();
  });
}

bool RedisLink::publish(const std::string& universe_id, const std::string& message) {
  if (!publisher_ready_ || !publisher_) return false;
  run_command(publisher_, {"PUBLISH", channel_of(universe_id), message});
  return true;
}

bool RedisLink::publish_to_all(const std::string& message) {
  if (!publisher_ready_ || !publisher_) return false;
  run_command(publisher_, {"PUBLISH", std::string(kNodesChannel), message});
  return true;
}

}  // namespace harmonic::cluster
