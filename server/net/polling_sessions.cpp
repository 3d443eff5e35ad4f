#include "net/polling_sessions.hpp"

#include <nlohmann/json.hpp>

#include "net/polling_session.hpp"
#include "net/server_context.hpp"
#include "net/session_id.hpp"

namespace harmonic::net {

void PollingSessions::add(std::shared_ptr<PollingSession> session) {
  auto sid = session->sid();
  sessions_.emplace(std::move(sid), std::move(session));
}

std::shared_ptr<PollingSession> PollingSessions::find(const std::string& sid) const {
  const auto it = sessions_.find(sid);
  return it == sessions_.end() ? nullptr : it->second;
}

void PollingSessions::remove(const std::string& sid) { sessions_.erase(sid); }

namespace {
PollingAnswer unavailable(std::string_view message) {
  return {503, "application/json",
          nlohmann::json{{"error", {{"code", "unavailable"}, {"message", message}, {"details", nlohmann::json::object()}}}}
              .dump()};
}
}  // namespace

std::variant<std::shared_ptr<PollingSession>, PollingAnswer> open_polling_session(ServerContext& context,
                                                                                  boost::asio::any_io_executor executor,
                                                                                  const std::string& client) {
  // The session outlives the HTTP connections that carry it, so it holds a slot of its
  // own (docs/operations.md, "Connection limits and backpressure").
  auto slot = context.caps.open();
  if (!slot) {
    context.metrics.count_connection_refused("max_connections");
    return unavailable("the server is at its connection limit; try again later");
  }
  if (!slot->charge(client)) {
    context.metrics.count_connection_refused("max_connections_per_ip");
    return unavailable("too many connections from your address; try again later");
  }
  auto session = std::make_shared<PollingSession>(context, std::move(executor), make_session_id(context.node_id),
                                                  std::move(*slot));
  context.polling.add(session);
  session->start();
  return session;
}

}  // namespace harmonic::net
