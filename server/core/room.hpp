// A universe that has people in it: its record, parameters and rights cached in
// memory for the life of the room, and who is present. The store stays the truth;
// the cache is loaded on the first join and dropped when the last person leaves.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/outbox.hpp"
#include "core/remote_participants.hpp"
#include "core/seq_order.hpp"
#include "storage/store.hpp"

namespace harmonic::core {

struct Participant {
  std::string user_id;
  std::string username;
  std::string status = "active";  // active, idle, away
  int connections = 0;
};

class Room {
 public:
  Room(storage::Universe universe, nlohmann::json parameters, std::set<std::string> collaborators)
      : universe_(std::move(universe)), parameters_(std::move(parameters)), collaborators_(std::move(collaborators)) {}

  const storage::Universe& universe() const { return universe_; }
  storage::Universe& universe() { return universe_; }
  const nlohmann::json& parameters() const { return parameters_; }
  nlohmann::json& parameters() { return parameters_; }
  void set_collaborators(std::set<std::string> collaborators) { collaborators_ = std::move(collaborators); }
  // Cluster mode: the order in which durable changes reach this cache (seq_order.hpp).
  SeqOrder& replica() { return replica_; }
  // Cluster mode: who is in the room through other nodes (remote_participants.hpp).
  RemoteParticipants& remote() { return remote_; }
  const RemoteParticipants& remote() const { return remote_; }
  // Cluster mode: joins held until the universe's channel is subscribed and the other
  // nodes' participants are read (cluster_events.cpp, docs/cluster.md "Presence").
  struct HeldJoin {
    ConnectionId connection;
    std::optional<std::uint64_t> ack_id;
  };
  struct Watch {
    bool awaiting_snapshot = false;
    std::int64_t since_ms = 0;
    std::vector<HeldJoin> held_joins;
  };
  Watch& watch() { return watch_; }

  storage::Role role_of(const std::string& user_id) const;

  // Returns true when this is the user's first connection in the room.
  bool add_member(ConnectionId connection, const std::string& user_id, const std::string& username);
  // Returns true when that was the user's last connection in the room.
  bool remove_member(ConnectionId connection);
  bool has_member(ConnectionId connection) const { return members_.contains(connection); }
  bool empty() const { return members_.empty(); }
  // Whether the user is in the room through this node or another.
  bool has_participant(const std::string& user_id) const;
  // The users with a connection in the room on this node.
  std::vector<std::string> local_users() const;
  const std::vector<Participant>& local_participants() const { return participants_; }
  std::vector<ConnectionId> members() const;
  std::vector<ConnectionId> connections_of(const std::string& user_id) const;
  // Members whose user may not see the universe (role none) with the rights cached now.
  std::vector<ConnectionId> members_without_access() const;

  void set_status(const std::string& user_id, const std::string& status);
  std::string status_of(const std::string& user_id) const;
  // [{id, username, status}], each user once: this node's in the order they arrived, then
  // those on other nodes.
  nlohmann::json participants_json() const;

 private:
  storage::Universe universe_;
  nlohmann::json parameters_;
  std::set<std::string> collaborators_;
  std::map<ConnectionId, std::string> members_;  // connection -> user id
  std::vector<Participant> participants_;        // arrival order
  SeqOrder replica_;
  RemoteParticipants remote_;
  Watch watch_;
};

}  // namespace harmonic::core
