// Universes: list what I may see, create, read one (with its parameters), update name,
// description and is_public, delete. Changes are committed with a history entry of kind
// "universe" and then told to the realtime side, so people in the room see them at once.
#include "core/wire_format.hpp"
#include "http/json_responses.hpp"
#include "http/request_auth.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "http/universe_access.hpp"
#include "http/universe_fields.hpp"
#include "params/schema.hpp"

namespace harmonic::http {

namespace {

nlohmann::json universe_detail(ApiContext& context, const storage::Universe& universe, storage::Role role) {
  auto json = universe_with_role(universe, role);
  json["parameters"] = context.store.load_parameters(universe.id);
  return json;
}

ApiResponse list_universes(ApiContext& context, const ApiRequest& request) {
  const auto user = authenticate(context, request);
  auto universes = nlohmann::json::array();
  for (const auto& universe : context.store.list_universes_visible_to(user.id)) {
    auto role = universe.owner_id == user.id ? storage::Role::owner : context.store.role_of(universe.id, user.id);
    if (role == storage::Role::none) continue;  // e.g. made private since the list was read
    universes.push_back(universe_with_role(universe, role));
  }
  return json_response(200, {{"universes", universes}});
}

ApiResponse create_universe(ApiContext& context, const ApiRequest& request) {
  const auto user = authenticate(context, request);
  const auto fields = read_universe_fields(parse_json_object(request));
  if (!fields.name) throw bad_request("'name' is required", {{"field", "name"}});
  const auto universe =
      context.store.create_universe(user.id, *fields.name, fields.description.value_or(""),
                                    fields.is_public.value_or(false), context.seed_source(),
                                    params::all_defaults(), context.clock());
  return json_response(201, universe_detail(context, universe, storage::Role::owner));
}

ApiResponse get_universe(ApiContext& context, const ApiRequest& request, const RouteParams& params) {
  const auto user = authenticate(context, request);
  const auto access = visible_universe(context, params.at("id"), user);
  return json_response(200, universe_detail(context, access.universe, access.role));
}

// Only fields whose value differs are changes; a PATCH that repeats the current values
// (e.g. a client sending the whole universe back) changes nothing and is not refused
// for naming is_public.
ApiResponse update_universe(ApiContext& context, const ApiRequest& request, const RouteParams& params) {
  const auto user = authenticate(context, request);
  const auto body = parse_json_object(request);
  auto access = visible_universe(context, params.at("id"), user);
  require_editor(access, "change a universe");
  const auto fields = read_universe_fields(body);
  if (!fields.name && !fields.description && !fields.is_public) {
    throw bad_request("nothing to change: give name, description or is_public");
  }

  const auto& current = access.universe;
  storage::UniverseChange change;
  change.universe_id = current.id;
  change.timestamp = context.clock();
  auto changes = nlohmann::json::object();
  if (fields.name && *fields.name != current.name) {
    change.name = fields.name;
    changes["name"] = *fields.name;
  }
  if (fields.description && *fields.description != current.description) {
    change.description = fields.description;
    changes["description"] = *fields.description;
  }
  if (fields.is_public && *fields.is_public != current.is_public) {
    require_owner(access, "make a universe public or private");
    change.is_public = fields.is_public;
    changes["is_public"] = *fields.is_public;
  }
  if (changes.empty()) return json_response(200, universe_detail(context, current, access.role));

  storage::HistoryEntry entry;
  entry.timestamp = change.timestamp;
  entry.user_id = user.id;
  entry.kind = "universe";
  entry.changes = changes;
  change.history.push_back(std::move(entry));
  try {
    context.store.commit(change);
  } catch (const storage::UniverseNotFound&) {
    throw not_found("no such universe");
  }
  const auto updated = context.store.find_universe(current.id);
  if (!updated) throw not_found("no such universe");
  context.notifier.universe_updated(*updated, changes, user);
  return json_response(200, universe_detail(context, *updated, access.role));
}

ApiResponse delete_universe(ApiContext& context, const ApiRequest& request, const RouteParams& params) {
  const auto user = authenticate(context, request);
  const auto access = visible_universe(context, params.at("id"), user);
  require_owner(access, "delete a universe");
  if (!context.store.delete_universe(access.universe.id)) throw not_found("no such universe");
  context.notifier.universe_deleted(access.universe.id);
  return no_content();
}

}  // namespace

void add_universe_routes(Router& router, ApiContext& context) {
  router.add("GET", "/api/universes",
             [&context](const ApiRequest& request, const RouteParams&) { return list_universes(context, request); });
  router.add("POST", "/api/universes",
             [&context](const ApiRequest& request, const RouteParams&) { return create_universe(context, request); });
  router.add("GET", "/api/universes/{id}", [&context](const ApiRequest& request, const RouteParams& params) {
    return get_universe(context, request, params);
  });
  router.add("PATCH", "/api/universes/{id}", [&context](const ApiRequest& request, const RouteParams& params) {
    return update_universe(context, request, params);
  });
  router.add("DELETE", "/api/universes/{id}", [&context](const ApiRequest& request, const RouteParams& params) {
    return delete_universe(context, request, params);
  });
}

}  // namespace harmonic::http
