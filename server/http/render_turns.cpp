#include "http/render_turns.hpp"

#include <algorithm>

namespace harmonic::http {

RenderTurns::Answer RenderTurns::try_start(const std::string& user_id, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  if (rendering_.contains(user_id)) return {Outcome::already_rendering};
  std::erase_if(line_, [&](const Place& place) { return now_ms - place.last_asked_ms > limits_.place_kept_ms; });

  const auto free_slots = limits_.slots > rendering_.size() ? limits_.slots - rendering_.size() : 0;
  const auto mine = std::find_if(line_.begin(), line_.end(), [&](const Place& place) { return place.user_id == user_id; });
  const auto ahead = static_cast<std::size_t>(mine - line_.begin());  // line_.size() when not in line
  const bool my_turn = mine != line_.end() ? ahead < free_slots : line_.size() < free_slots;
  if (my_turn) {
    if (mine != line_.end()) line_.erase(mine);
    rendering_.insert(user_id);
    return {Outcome::started};
  }
  if (mine != line_.end()) {
    mine->last_asked_ms = now_ms;
    return {Outcome::waiting, ahead + 1};
  }
  if (line_.size() >= limits_.max_waiting) return {Outcome::busy};
  line_.push_back({user_id, now_ms});
  return {Outcome::waiting, line_.size()};
}

void RenderTurns::finish(const std::string& user_id) {
  std::lock_guard lock(mutex_);
  rendering_.erase(user_id);
}

}  // namespace harmonic::http
