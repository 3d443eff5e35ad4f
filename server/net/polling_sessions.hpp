// The live polling sessions by sid (net/polling_session.hpp), so the requests of one
// session, arriving on any HTTP connection, find it. A session leaves the table when it
// ends or is upgraded to WebSocket; a later request with its sid is then "Session ID
// unknown" (400).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include <boost/asio/any_io_executor.hpp>

namespace harmonic::net {

class PollingSession;
struct PollingAnswer;
struct ServerContext;

class PollingSessions {
 public:
  void add(std::shared_ptr<PollingSession> session);
  std::shared_ptr<PollingSession> find(const std::string& sid) const;
  void remove(const std::string& sid);
  std::size_t size() const { return sessions_.size(); }

 private:
  std::unordered_map<std::string, std::shared_ptr<PollingSession>> sessions_;
};

// A polling handshake: a new session, charged to `client` against the connection caps
// like any connection, or the 503 answer when a cap refuses it.
std::variant<std::shared_ptr<PollingSession>, PollingAnswer> open_polling_session(ServerContext& context,
                                                                                  boost::asio::any_io_executor executor,
                                                                                  const std::string& client);

}  // namespace harmonic::net
