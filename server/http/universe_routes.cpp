// Universes: list what I may see, create, read one (with its parameters), update name,
// description and is_public, delete. Changes are committed with a history entry of kind
// "universe" and then told to the realtime side, so people in the room see them at once.
#include <limits>
#include <optional>

#include "core/wire_format.hpp"
#include "http/json_responses.hpp"
#include "http/request_auth.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "http/universe_access.hpp"
#include "http/universe_creation_limits.hpp"
#include "http/universe_fields.hpp"
#include "params/schema.hpp"

namespace harmonic::http {

namespace {

nlohmann::json universe_detail(ApiContext& context, const storage::Universe& universe, storage::Role role) {
  auto json = universe_with_role(universe, role);
  json["parameters"] = context.store.load_parameters(universe.id);
  return json;
}

// GET /api/universes pages: `limit` universes (default 50, at most 200), newest first;
// `cursor` is the previous page's next_cursor. Numbers: docs/operations.md, "Universe
// lists and quotas".
constexpr int default_page_size = 50;
constexpr int max_page_size = 200;

// A decimal without sign, leading zeros or anything else, within [min, max].
std::optional<std::int64_t> strict_decimal(const std::string& text, std::int64_t min, std::int64_t max) {
  if (text.empty() || text.size() > 18 || text.front() == '0') return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

int page_size(const ApiRequest& request) {
  const auto it = request.query.find("limit");
  if (it == request.query.end()) return default_page_size;
  const auto limit = strict_decimal(it->second, 1, max_page_size);
  if (!limit) {
    throw bad_request("limit must be a whole number from 1 to " + std::to_string(max_page_size),
                      {{"field", "limit"}, {"allowed", {{"min", 1}, {"max", max_page_size}}}});
  }
  return static_cast<int>(*limit);
}

// The cursor is the id of the last universe of the previous page; clients pass it back
// unchanged and must not build one.
std::optional<std::string> page_cursor(const ApiRequest& request) {
  const auto it = request.query.find("cursor");
  if (it == request.query.end()) return std::nullopt;
  if (!strict_decimal(it->second, 1, std::numeric_limits<std::int64_t>::max() / 10)) {
    throw bad_request("cursor must be the next_cursor of a previous page", {{"field", "cursor"}});
  }
  return it->second;
}

ApiResponse list_universes(ApiContext& context, const ApiRequest& request) {
  const auto user = authenticate(context, request);
  const auto limit = page_size(request);
  const auto cursor = page_cursor(request);
  const auto page = context.store.list_universes_visible_to(user.id, limit, cursor);
  auto universes = nlohmann::json::array();
  for (const auto& entry : page.universes) universes.push_back(universe_with_role(entry.universe, entry.role));
  nlohmann::json next = page.next_older_than_id ? nlohmann::json(*page.next_older_than_id) : nlohmann::json(nullptr);
  return json_response(200, {{"universes", std::move(universes)}, {"next_cursor", std::move(next)}});
}

ApiResponse create_universe(ApiContext& context, const ApiRequest& request) {
  const auto user = authenticate(context, request);
  const auto fields = read_universe_fields(parse_json_object(request));
  if (!fields.name) throw bad_request("'name' is required", {{"field", "name"}});
  admit_universe_creation(context, user);
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
