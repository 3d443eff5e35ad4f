// Outgoing parameter edits, coalesced. A slider being dragged changes every frame;
// the server hears about it at most every `interval_ms` (default 50 ms, ~20/s), with
// the latest value of every parameter touched since the last send:
//   one category            -> parameter:update {universe_id, category, parameters}
//   several categories      -> parameter:batch_update {universe_id, updates:[...]}
//   a discrete edit (combo) -> parameter:delta {universe_id, category, changes:{name:{from,to}}}
//                              (compare-and-set, so two people picking at once do not
//                              silently overwrite each other)
// While an edit is in flight the UI shows the local value (an override) so the slider
// does not jump back when an older echo arrives; overrides expire shortly after the
// last edit and the server's value shows again.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace harmonic::client {

struct OutgoingMessage {
  std::string event;
  nlohmann::json payload;
};

class ParameterChanges {
 public:
  explicit ParameterChanges(double interval_ms = 50, double override_ms = 1200)
      : interval_ms_(interval_ms), override_ms_(override_ms) {}

  // A continuous edit (slider, colour picker drag).
  void edit(const std::string& category, const std::string& name, const nlohmann::json& value, double now_ms);
  // A discrete edit: sent as a delta from `from` (the value the server gave us).
  void edit_discrete(const std::string& category, const std::string& name, const nlohmann::json& from,
                     const nlohmann::json& to, double now_ms);

  // The next message to send, if one is due at `now_ms`.
  std::optional<OutgoingMessage> take_due(const std::string& universe_id, double now_ms);
  bool has_pending() const { return !pending_.empty() || discrete_.has_value(); }

  // What the UI should show for a parameter: the local override while fresh, else
  // the server's value from `parameters` ({category: {name: value}}).
  nlohmann::json displayed(const nlohmann::json& parameters, const std::string& category,
                           const std::string& name, double now_ms) const;
  // `parameters` with every fresh override applied (for the simulation and renderer).
  nlohmann::json effective(const nlohmann::json& parameters, double now_ms) const;

  void clear();
  void expire(double now_ms);

 private:
  struct Override {
    nlohmann::json value;
    double at_ms;
  };
  double interval_ms_;
  double override_ms_;
  double last_sent_ms_ = -1e18;
  std::map<std::string, std::map<std::string, nlohmann::json>> pending_;  // category -> name -> value
  struct Discrete {
    std::string category, name;
    nlohmann::json from, to;
  };
  std::optional<Discrete> discrete_;
  std::map<std::string, Override> overrides_;  // "category.name"
};

}  // namespace harmonic::client
