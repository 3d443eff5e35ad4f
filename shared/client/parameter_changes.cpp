#include "client/parameter_changes.hpp"

namespace harmonic::client {

using nlohmann::json;

void ParameterChanges::edit(const std::string& category, const std::string& name, const json& value, double now_ms) {
  pending_[category][name] = value;
  overrides_[category + "." + name] = Override{value, now_ms};
  if (discrete_ && discrete_->category == category && discrete_->name == name) discrete_.reset();
}

void ParameterChanges::edit_discrete(const std::string& category, const std::string& name, const json& from,
                                     const json& to, double now_ms) {
  // A pending continuous edit of other parameters goes out first (take_due sends it
  // before the delta); a second discrete edit replaces an unsent one.
  if (discrete_ && (discrete_->category != category || discrete_->name != name)) {
    pending_[discrete_->category][discrete_->name] = discrete_->to;
  }
  auto cat = pending_.find(category);
  if (cat != pending_.end()) {
    cat->second.erase(name);
    if (cat->second.empty()) pending_.erase(cat);
  }
  json original = from;
  if (discrete_ && discrete_->category == category && discrete_->name == name) original = discrete_->from;
  discrete_ = Discrete{category, name, original, to};
  overrides_[category + "." + name] = Override{to, now_ms};
}

std::optional<OutgoingMessage> ParameterChanges::take_due(const std::string& universe_id, double now_ms) {
  if (!has_pending() || now_ms - last_sent_ms_ < interval_ms_) return std::nullopt;
  last_sent_ms_ = now_ms;
  if (!pending_.empty()) {
    OutgoingMessage message;
    if (pending_.size() == 1) {
      auto& [category, values] = *pending_.begin();
      json parameters = json::object();
      for (auto& [name, value] : values) parameters[name] = value;
      message.event = "parameter:update";
      message.payload = {{"universe_id", universe_id}, {"category", category}, {"parameters", parameters}};
    } else {
      json updates = json::array();
      for (auto& [category, values] : pending_) {
        json parameters = json::object();
        for (auto& [name, value] : values) parameters[name] = value;
        updates.push_back({{"category", category}, {"parameters", parameters}});
      }
      message.event = "parameter:batch_update";
      message.payload = {{"universe_id", universe_id}, {"updates", updates}};
    }
    pending_.clear();
    return message;
  }
  OutgoingMessage message;
  message.event = "parameter:delta";
  message.payload = {{"universe_id", universe_id},
                     {"category", discrete_->category},
                     {"changes", {{discrete_->name, {{"from", discrete_->from}, {"to", discrete_->to}}}}}};
  discrete_.reset();
  return message;
}

json ParameterChanges::displayed(const json& parameters, const std::string& category, const std::string& name,
                                 double now_ms) const {
  auto it = overrides_.find(category + "." + name);
  if (it != overrides_.end() && now_ms - it->second.at_ms < override_ms_) return it->second.value;
  auto cat = parameters.find(category);
  if (cat == parameters.end() || !cat->is_object()) return nullptr;
  auto value = cat->find(name);
  return value == cat->end() ? json(nullptr) : *value;
}

json ParameterChanges::effective(const json& parameters, double now_ms) const {
  json out = parameters.is_object() ? parameters : json::object();
  for (const auto& [key, o] : overrides_) {
    if (now_ms - o.at_ms >= override_ms_) continue;
    const auto dot = key.find('.');
    out[key.substr(0, dot)][key.substr(dot + 1)] = o.value;
  }
  return out;
}

void ParameterChanges::clear() {
  pending_.clear();
  discrete_.reset();
  overrides_.clear();
}

void ParameterChanges::expire(double now_ms) {
  std::erase_if(overrides_, [&](const auto& entry) { return now_ms - entry.second.at_ms >= override_ms_; });
}

}  // namespace harmonic::client
