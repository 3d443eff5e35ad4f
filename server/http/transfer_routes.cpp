// Export and import of a universe as a JSON document (universe_transfer.hpp). Export is
// for anyone who can see the universe; import creates a new universe owned by the caller.
// An audio export (export.wav) belongs here too, next to export.json.
#include "http/input_rules.hpp"
#include "http/json_responses.hpp"
#include "http/request_auth.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "http/universe_access.hpp"
#include "http/universe_fields.hpp"
#include "http/universe_transfer.hpp"

namespace harmonic::http {

namespace {

ApiResponse export_json(ApiContext& context, const ApiRequest& request, const RouteParams& params) {
  const auto user = authenticate(context, request);
  const auto access = visible_universe(context, params.at("id"), user);
  auto response = json_response(
      200, export_universe(access.universe, context.store.load_parameters(access.universe.id)));
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"universe-" + access.universe.id + ".json\"");
  return response;
}

void check_document_header(const nlohmann::json& document) {
  if (const auto format = document.find("format"); format != document.end()) {
    if (*format != kExportFormat) {
      throw bad_request("'format' must be \"" + std::string(kExportFormat) + "\"", {{"field", "format"}});
    }
  }
  if (const auto version = document.find("version"); version != document.end()) {
    if (!version->is_number_integer() || *version != kExportVersion) {
      throw bad_request("unsupported export version; this server reads version " + std::to_string(kExportVersion),
                        {{"field", "version"}});
    }
  }
}

ApiResponse import_json(ApiContext& context, const ApiRequest& request) {
  const auto user = authenticate(context, request);
  const auto document = parse_json_object(request);
  check_document_header(document);
  const auto fields = read_universe_fields(document);
  if (!fields.name) throw bad_request("'name' is required", {{"field", "name"}});
  const auto parameters = document.find("parameters");
  if (parameters == document.end()) throw bad_request("'parameters' is required", {{"field", "parameters"}});
  auto imported = import_parameters(*parameters);
  if (!imported.ok()) {
    throw bad_request("invalid parameters: " + params::summarise_errors(imported.errors),
                      params::describe_errors(imported.errors));
  }
  const auto universe = context.store.create_universe(
      user.id, *fields.name, fields.description.value_or(""), fields.is_public.value_or(false),
      context.seed_source(), imported.parameters, context.clock());
  auto json = universe_with_role(universe, storage::Role::owner);
  json["parameters"] = context.store.load_parameters(universe.id);
  return json_response(201, json);
}

}  // namespace

void add_transfer_routes(Router& router, ApiContext& context) {
  router.add("GET", "/api/universes/{id}/export.json",
             [&context](const ApiRequest& request, const RouteParams& params) {
               return export_json(context, request, params);
             });
  router.add("POST", "/api/universes/import",
             [&context](const ApiRequest& request, const RouteParams&) { return import_json(context, request); });
}

}  // namespace harmonic::http
