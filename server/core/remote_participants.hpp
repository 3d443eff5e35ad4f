// Cluster mode: the participants of a room who are connected to other nodes
// (docs/cluster.md, "Presence"). Each node keeps its own members in the Room and mirrors
// the others' from the shared presence table and the presence messages of the
// universe's channel; a node that stops refreshing its liveness takes its users with it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/cluster_link.hpp"

namespace harmonic::core {

class RemoteParticipants {
 public:
  // Adds or updates one node's entry for a user.
  void set(const PresenceEntry& entry);
  // Removes one node's entry for a user (nothing when there is none).
  void remove(const std::string& node, const std::string& user_id);
  // Removes every entry of a node; returns the users who are then on no other node.
  std::vector<std::string> drop_node(const std::string& node);
  // Replaces everything with a fresh read of the presence table.
  void replace(const std::vector<PresenceEntry>& entries);
  // Replaces one node's entries with `entries` (all of that node's).
  void replace_node(const std::string& node, const std::vector<PresenceEntry>& entries);

  bool has(const std::string& user_id) const;
  bool empty() const { return by_node_.empty(); }
  // The users present through other nodes, each once.
  std::set<std::string> users() const;
  // Appends {id, username, status} for every user not in `skip`, each once, to `list`.
  void append_json(nlohmann::json& list, std::set<std::string> skip) const;

 private:
  std::map<std::string, std::map<std::string, PresenceEntry>> by_node_;  // node -> user -> entry
};

}  // namespace harmonic::core
