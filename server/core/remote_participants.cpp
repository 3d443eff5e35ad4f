#include "core/remote_participants.hpp"

namespace harmonic::core {

void RemoteParticipants::set(const PresenceEntry& entry) { by_node_[entry.node][entry.user_id] = entry; }

void RemoteParticipants::remove(const std::string& node, const std::string& user_id) {
  const auto it = by_node_.find(node);
  if (it == by_node_.end()) return;
  it->second.erase(user_id);
  if (it->second.empty()) by_node_.erase(it);
}

std::vector<std::string> RemoteParticipants::drop_node(const std::string& node) {
  const auto it = by_node_.find(node);
  if (it == by_node_.end()) return {};
  const auto users = std::move(it->second);
  by_node_.erase(it);
  std::vector<std::string> gone;
  for (const auto& [user_id, entry] : users) {
    if (!has(user_id)) gone.push_back(user_id);
  }
  return gone;
}

void RemoteParticipants::replace(const std::vector<PresenceEntry>& entries) {
  by_node_.clear();
  for (const auto& entry : entries) set(entry);
}

void RemoteParticipants::replace_node(const std::string& node, const std::vector<PresenceEntry>& entries) {
  by_node_.erase(node);
  for (const auto& entry : entries) {
    if (entry.node == node) set(entry);
  }
}

bool RemoteParticipants::has(const std::string& user_id) const {
  for (const auto& [node, users] : by_node_) {
    if (users.contains(user_id)) return true;
  }
  return false;
}

std::set<std::string> RemoteParticipants::users() const {
  std::set<std::string> all;
  for (const auto& [node, users] : by_node_) {
    for (const auto& [user_id, entry] : users) all.insert(user_id);
  }
  return all;
}

void RemoteParticipants::append_json(nlohmann::json& list, std::set<std::string> skip) const {
  for (const auto& [node, users] : by_node_) {
    for (const auto& [user_id, entry] : users) {
      if (!skip.insert(user_id).second) continue;
      list.push_back({{"id", entry.user_id}, {"username", entry.username}, {"status", entry.status}});
    }
  }
}

}  // namespace harmonic::core
