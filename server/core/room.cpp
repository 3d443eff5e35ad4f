#include "core/room.hpp"

#include <algorithm>

namespace harmonic::core {

storage::Role Room::role_of(const std::string& user_id) const {
  if (user_id == universe_.owner_id) return storage::Role::owner;
  if (collaborators_.contains(user_id)) return storage::Role::collaborator;
  if (universe_.is_public) return storage::Role::viewer;
  return storage::Role::none;
}

bool Room::add_member(ConnectionId connection, const std::string& user_id, const std::string& username) {
  if (members_.contains(connection)) return false;
  members_[connection] = user_id;
  auto it = std::find_if(participants_.begin(), participants_.end(),
                         [&](const Participant& p) { return p.user_id == user_id; });
  if (it != participants_.end()) {
    ++it->connections;
    return false;
  }
  participants_.push_back({user_id, username, "active", 1});
  return true;
}

bool Room::remove_member(ConnectionId connection) {
  const auto member = members_.find(connection);
  if (member == members_.end()) return false;
  const auto user_id = member->second;
  members_.erase(member);
  auto it = std::find_if(participants_.begin(), participants_.end(),
                         [&](const Participant& p) { return p.user_id == user_id; });
  if (it == participants_.end()) return false;
  if (--it->connections > 0) return false;
  participants_.erase(it);
  return true;
}

std::vector<ConnectionId> Room::members() const {
  std::vector<ConnectionId> ids;
  ids.reserve(members_.size());
  for (const auto& [connection, user] : members_) ids.push_back(connection);
  return ids;
}

std::vector<ConnectionId> Room::connections_of(const std::string& user_id) const {
  std::vector<ConnectionId> ids;
  for (const auto& [connection, user] : members_) {
    if (user == user_id) ids.push_back(connection);
  }
  return ids;
}

std::vector<ConnectionId> Room::members_without_access() const {
  std::vector<ConnectionId> ids;
  for (const auto& [connection, user] : members_) {
    if (role_of(user) == storage::Role::none) ids.push_back(connection);
  }
  return ids;
}

void Room::set_status(const std::string& user_id, const std::string& status) {
  for (auto& participant : participants_) {
    if (participant.user_id == user_id) participant.status = status;
  }
}

std::string Room::status_of(const std::string& user_id) const {
  for (const auto& participant : participants_) {
    if (participant.user_id == user_id) return participant.status;
  }
  return "active";
}

bool Room::has_participant(const std::string& user_id) const {
  return std::any_of(participants_.begin(), participants_.end(),
                     [&](const Participant& p) { return p.user_id == user_id; }) ||
         remote_.has(user_id);
}

std::vector<std::string> Room::local_users() const {
  std::vector<std::string> users;
  for (const auto& p : participants_) users.push_back(p.user_id);
  return users;
}

nlohmann::json Room::participants_json() const {
  auto list = nlohmann::json::array();
  std::set<std::string> listed;
  for (const auto& p : participants_) {
    list.push_back({{"id", p.user_id}, {"username", p.username}, {"status", p.status}});
    listed.insert(p.user_id);
  }
  if (!remote_.empty()) remote_.append_json(list, std::move(listed));
  return list;
}

}  // namespace harmonic::core
