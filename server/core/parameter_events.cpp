// parameter:update, reset, sync, batch_update and delta. Every change is validated
// whole against the schema, committed with its history entry, and only then broadcast.
#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "core/realtime_hub.hpp"
#include "params/schema.hpp"
#include "params/validation.hpp"
#include "storage/errors.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

namespace {

using Part = std::pair<std::string, nlohmann::json>;  // category, validated values

[[noreturn]] void refuse_values(const std::vector<params::FieldError>& errors) {
  throw EventError(code::invalid_parameters, params::summarise_errors(errors), params::describe_errors(errors));
}

std::string require_category(const nlohmann::json& object) {
  const auto category = require_string(object, "category", 64);
  if (!params::find_category(category)) {
    auto names = nlohmann::json::array();
    for (const auto& known : params::categories()) names.push_back(std::string(known.name));
    throw EventError(code::invalid_parameters, "unknown category '" + category + "'",
                     {{"field", "category"}, {"allowed", {{"values", names}}}});
  }
  return category;
}

Part validated_part(const nlohmann::json& object) {
  const auto category = require_category(object);
  const auto values = object.find("parameters");
  if (values == object.end()) {
    throw EventError(code::invalid_parameters, "parameters is required", {{"field", "parameters"}});
  }
  auto result = params::validate_parameters(category, *values);
  if (!result.ok()) refuse_values(result.errors);
  return {category, std::move(result.values)};
}

}  // namespace

storage::UniverseChange RealtimeHub::new_parameter_change(const Room& room) {
  storage::UniverseChange change;
  change.universe_id = room.universe().id;
  change.timestamp = change_timestamp();
  // On a store several nodes share, only the changed values are written and merged into
  // the committed category: this node's cached copy may be behind another node's.
  change.merge_parameter_sets = options_.shared_store;
  return change;
}

std::int64_t RealtimeHub::commit_parameter_change(Room& room, storage::UniverseChange& change) {
  const auto entries = commit(change);
  const auto seq = entries.empty() ? 0 : entries.back().seq;
  // Clustered, the replica applies it to the room in seq order (cluster_events.cpp).
  if (clustered()) return seq;
  for (auto& [category, values] : change.parameter_sets) {
    if (change.merge_parameter_sets) {
      room.parameters()[category].update(values);
    } else {
      room.parameters()[category] = std::move(values);
    }
  }
  return seq;
}

nlohmann::json RealtimeHub::apply_parameter_parts(EventContext& context, Room& room, const std::vector<Part>& parts,
                                                  const nlohmann::json* expected) {
  const auto& identity = context.identity();
  auto change = new_parameter_change(room);
  if (expected) change.expected_parameters[parts.front().first] = *expected;

  // Only the categories touched are copied (the hot path of every slider move), and the
  // room's cache changes only after the commit, so a failed one leaves it as stored.
  std::vector<std::string> category_order;
  std::map<std::string, nlohmann::json> applied_by_category;
  for (const auto& [category, values] : parts) {
    auto [stored, first_change] = change.parameter_sets.try_emplace(category);
    // On a shared store this cache may be behind what other nodes committed: only the
    // values that change are sent, and the store merges them (merge_parameter_sets).
    if (first_change) {
      stored->second = options_.shared_store ? nlohmann::json::object()
                                             : room.parameters().value(category, nlohmann::json::object());
    }
    stored->second.update(values);
    change.history.push_back({0, change.timestamp, identity.user_id, "parameter", category, values});
    auto [applied, first_applied] = applied_by_category.try_emplace(category, nlohmann::json::object());
    if (first_applied) category_order.push_back(category);
    applied->second.update(values);  // later parts of the same category win, in order
  }
  std::int64_t seq = 0;
  try {
    seq = commit_parameter_change(room, change);
  } catch (const storage::ParameterConflict& lost) {
    // Another writer (another node on the shared store) changed them first: the committed
    // values replace this room's stale copies, and the sender hears them as `current`.
    const auto& category = parts.front().first;
    const auto current = lost.current().value(category, nlohmann::json::object());
    for (const auto& [name, value] : current.items()) room.parameters()[category][name] = value;
    throw EventError(code::invalid_parameters, "the values changed meanwhile; retry from the current ones",
                     {{"reason", "conflict"}, {"category", category}, {"current", current}});
  }
  // Clustered, the replica announces it in seq order (cluster_events.cpp).
  if (clustered()) return {{"seq", seq}};

  for (const auto& category : category_order) {
    nlohmann::json updated = nlohmann::json::object();
    updated["universe_id"] = room.universe().id;
    updated["category"] = category;
    updated["parameters"] = std::move(applied_by_category[category]);
    updated["user_id"] = identity.user_id;
    updated["seq"] = seq;
    emit_to_room(room.universe().id, "parameter:updated", updated);
  }
  return {{"seq", seq}};
}

nlohmann::json RealtimeHub::on_parameter_update(EventContext& context) {
  Room& room = joined_room(context);
  require_editor(room, context.identity());
  std::vector<Part> parts;
  parts.push_back(validated_part(context.payload));
  auto result = apply_parameter_parts(context, room, parts);
  result["category"] = parts.front().first;
  result["parameters"] = std::move(parts.front().second);
  return result;
}

nlohmann::json RealtimeHub::on_parameter_batch_update(EventContext& context) {
  Room& room = joined_room(context);
  require_editor(room, context.identity());
  const auto updates = context.payload.find("updates");
  if (updates == context.payload.end() || !updates->is_array() || updates->empty()) {
    throw EventError(code::invalid_parameters, "updates must be a non-empty array", {{"field", "updates"}});
  }
  if (updates->size() > static_cast<std::size_t>(options_.max_batch_parts)) {
    throw EventError(code::invalid_parameters, "a batch may hold at most " + std::to_string(options_.max_batch_parts) + " updates",
                     {{"field", "updates"}, {"allowed", {{"max_items", options_.max_batch_parts}}}});
  }
  // All parts are validated before any is applied: all or nothing.
  std::vector<Part> parts;
  std::vector<params::FieldError> errors;
  for (std::size_t i = 0; i < updates->size(); ++i) {
    const auto& update = (*updates)[i];
    try {
      parts.push_back(validated_part(require_object(update, "updates[" + std::to_string(i) + "]")));
    } catch (const EventError& error) {
      errors.push_back({"updates[" + std::to_string(i) + "]", error.what(), error.details()});
    }
  }
  if (!errors.empty()) refuse_values(errors);
  auto result = apply_parameter_parts(context, room, parts);
  result["applied"] = parts.size();
  return result;
}

nlohmann::json RealtimeHub::on_parameter_delta(EventContext& context) {
  Room& room = joined_room(context);
  require_editor(room, context.identity());
  const auto category = require_category(context.payload);
  const auto changes = context.payload.find("changes");
  if (changes == context.payload.end() || !changes->is_object() || changes->empty()) {
    throw EventError(code::invalid_parameters, "changes must be a non-empty object of {from, to}", {{"field", "changes"}});
  }
  nlohmann::json targets = nlohmann::json::object();
  for (const auto& [name, change] : changes->items()) {
    if (!change.is_object() || !change.contains("from") || !change.contains("to")) {
      throw EventError(code::invalid_parameters, "changes." + name.substr(0, 64) + " must be {from, to}",
                       {{"field", "changes." + name.substr(0, 64)}});
    }
    targets[name] = change["to"];
  }
  auto result = params::validate_parameters(category, targets);
  if (!result.ok()) refuse_values(result.errors);

  // Compare-and-set: every `from` must be what is stored now. This process's cache is
  // what is stored unless other processes write to the store too (shared_store); then
  // only the store can tell, and does inside the change's transaction (below), so that of
  // two nodes racing exactly one wins.
  nlohmann::json conflicts = nlohmann::json::object();
  if (!options_.shared_store) {
    const auto current = room.parameters().value(category, nlohmann::json::object());
    for (const auto& [name, change] : changes->items()) {
      const auto stored = current.value(name, nlohmann::json());
      if (!params::same_value(change["from"], stored)) conflicts[name] = stored;
    }
  }
  if (!conflicts.empty()) {
    throw EventError(code::invalid_parameters, "the values changed meanwhile; retry from the current ones",
                     {{"reason", "conflict"}, {"category", category}, {"current", conflicts}});
  }
  nlohmann::json expected = nlohmann::json::object();
  for (const auto& [name, change] : changes->items()) expected[name] = change["from"];
  auto applied = apply_parameter_parts(context, room, {{category, result.values}},
                                       options_.shared_store ? &expected : nullptr);
  applied["category"] = category;
  applied["parameters"] = result.values;
  return applied;
}

nlohmann::json RealtimeHub::on_parameter_reset(EventContext& context) {
  Room& room = joined_room(context);
  const auto& identity = context.identity();
  require_editor(room, identity);
  const auto category = require_category(context.payload);
  const auto defaults = params::default_values(category);

  auto change = new_parameter_change(room);
  change.parameter_sets[category] = defaults;
  change.history.push_back({0, change.timestamp, identity.user_id, "reset", category, defaults});
  change.merge_parameter_sets = false;  // a reset replaces the whole category
  const auto seq = commit_parameter_change(room, change);
  // Clustered, the replica announces it in seq order (cluster_events.cpp).
  if (clustered()) return {{"category", category}, {"default_parameters", defaults}, {"seq", seq}};

  emit_to_room(room.universe().id, "parameter:reset",
               {{"universe_id", room.universe().id},
                {"category", category},
                {"default_parameters", defaults},
                {"user_id", identity.user_id},
                {"seq", seq}});
  return {{"category", category}, {"default_parameters", defaults}, {"seq", seq}};
}

nlohmann::json RealtimeHub::on_parameter_sync(EventContext& context) {
  const Room& room = joined_room(context);
  const auto& parameters = room.parameters();
  nlohmann::json synced = {{"universe_id", room.universe().id}};
  for (const auto& spec : params::categories()) {
    const std::string category(spec.name);
    synced[category + "_parameters"] = parameters.value(category, nlohmann::json::object());
  }
  emit_to(context.connection.id, "parameter:synced", synced);
  return {};
}

}  // namespace harmonic::core
