// Collaborators of a universe. Anyone who can see the universe may list them (the same
// people appear in the room's participants anyway); only the owner adds or removes them.
// Each change is told to the realtime side, since rights of people in the room change.
#include "core/wire_format.hpp"
#include "http/json_responses.hpp"
#include "http/request_auth.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "http/universe_access.hpp"

namespace harmonic::http {

namespace {

nlohmann::json collaborators_json(ApiContext& context, const std::string& universe_id) {
  auto list = nlohmann::json::array();
  for (const auto& user : context.store.list_collaborators(universe_id)) list.push_back(core::user_to_json(user));
  return list;
}

ApiResponse list_collaborators(ApiContext& context, const ApiRequest& request, const RouteParams& params) {
  const auto user = authenticate(context, request);
  const auto access = visible_universe(context, params.at("id"), user);
  return json_response(200, {{"collaborators", collaborators_json(context, access.universe.id)}});
}

ApiResponse add_collaborator(ApiContext& context, const ApiRequest& request, const RouteParams& params) {
  const auto owner = authenticate(context, request);
  const auto body = parse_json_object(request);
  const auto access = visible_universe(context, params.at("id"), owner);
  require_owner(access, "add collaborators");
  const auto username = required_string(body, "username");
  const auto user = context.store.find_user_by_name(username);
  if (!user) throw not_found("no user is called '" + username + "'");
  if (user->id == owner.id) throw bad_request("you own this universe; add someone else", {{"field", "username"}});
  if (!context.store.add_collaborator(access.universe.id, user->id)) {
    throw conflict(user->username + " is already a collaborator");
  }
  context.notifier.collaborators_changed(access.universe.id,
                                         owner.username + " added " + user->username + " as a collaborator");
  return json_response(201, {{"collaborator", core::user_to_json(*user)},
                             {"collaborators", collaborators_json(context, access.universe.id)}});
}

ApiResponse remove_collaborator(ApiContext& context, const ApiRequest& request, const RouteParams& params) {
  const auto owner = authenticate(context, request);
  const auto access = visible_universe(context, params.at("id"), owner);
  require_owner(access, "remove collaborators");
  const auto& user_id = params.at("user_id");
  const auto user = context.store.find_user(user_id);
  if (!user || !context.store.remove_collaborator(access.universe.id, user_id)) {
    throw not_found("that user is not a collaborator of this universe");
  }
  context.notifier.collaborators_changed(access.universe.id,
                                         owner.username + " removed " + user->username + " as a collaborator");
  return no_content();
}

}  // namespace

void add_collaborator_routes(Router& router, ApiContext& context) {
  router.add("GET", "/api/universes/{id}/collaborators",
             [&context](const ApiRequest& request, const RouteParams& params) {
               return list_collaborators(context, request, params);
             });
  router.add("POST", "/api/universes/{id}/collaborators",
             [&context](const ApiRequest& request, const RouteParams& params) {
               return add_collaborator(context, request, params);
             });
  router.add("DELETE", "/api/universes/{id}/collaborators/{user_id}",
             [&context](const ApiRequest& request, const RouteParams& params) {
               return remove_collaborator(context, request, params);
             });
}

}  // namespace harmonic::http
