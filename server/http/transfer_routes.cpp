// Export and import of a universe as a JSON document (universe_transfer.hpp). Export is
// for anyone who can see the universe; import creates a new universe owned by the caller.
// export.wav renders the universe's music from its stored seed and parameters with the
// same code the clients play; the rendering runs off the I/O thread (ApiResponse::offload).
#include <atomic>
#include <cmath>
#include <memory>

#include "http/input_rules.hpp"
#include "http/json_responses.hpp"
#include "http/request_auth.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "http/universe_access.hpp"
#include "http/universe_creation_limits.hpp"
#include "http/universe_fields.hpp"
#include "http/universe_transfer.hpp"
#include "music/universe_music.hpp"
#include "universe/settings_from_parameters.hpp"

namespace harmonic::http {

namespace {

constexpr double max_export_seconds = 120;
constexpr double default_export_seconds = 10;
// Rendering is CPU-bound; one at a time leaves the other worker for password hashing.
constexpr int max_concurrent_renders = 1;

double requested_seconds(const ApiRequest& request) {
  const auto it = request.query.find("seconds");
  if (it == request.query.end()) return default_export_seconds;
  std::size_t used = 0;
  double seconds = 0;
  try {
    seconds = std::stod(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != it->second.size() || !std::isfinite(seconds) || seconds <= 0 ||
      seconds > max_export_seconds) {
    throw bad_request("seconds must be a number above 0 and at most 120",
                      {{"field", "seconds"}, {"allowed", {{"min", 0}, {"max", max_export_seconds}}}});
  }
  return seconds;
}

ApiResponse export_wav(ApiContext& context, const ApiRequest& request, const RouteParams& params,
                       const std::shared_ptr<std::atomic<int>>& renders_in_flight) {
  const auto user = authenticate(context, request);
  const auto access = visible_universe(context, params.at("id"), user);
  const double seconds = requested_seconds(request);
  if (renders_in_flight->fetch_add(1) >= max_concurrent_renders) {
    renders_in_flight->fetch_sub(1);
    return error_response(503, error_code::unavailable, "the server is busy rendering audio; try again shortly",
                          {{"retry_after_seconds", 2}});
  }
  const auto settings = universe::settings_from_parameters(context.store.load_parameters(access.universe.id));
  const auto seed = access.universe.seed;
  const auto filename = "universe-" + access.universe.id + ".wav";
  ApiResponse deferred;
  deferred.offload = [settings, seed, seconds, filename, renders_in_flight]() {
    struct Release {
      std::atomic<int>& count;
      ~Release() { count.fetch_sub(1); }
    } release{*renders_in_flight};
    const auto wav = music::render_universe_wav(seed, settings.physics, settings.music, settings.audio, seconds);
    ApiResponse response;
    response.content_type = "audio/wav";
    response.body.assign(wav.begin(), wav.end());
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
  };
  return deferred;
}

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
  admit_universe_creation(context, user);
  const auto universe = context.store.create_universe(
      user.id, *fields.name, fields.description.value_or(""), fields.is_public.value_or(false),
      context.seed_source(), imported.parameters, context.clock());
  auto json = universe_with_role(universe, storage::Role::owner);
  json["parameters"] = context.store.load_parameters(universe.id);
  return json_response(201, json);
}

}  // namespace

void add_transfer_routes(Router& router, ApiContext& context) {
  auto renders_in_flight = std::make_shared<std::atomic<int>>(0);
  router.add("GET", "/api/universes/{id}/export.wav",
             [&context, renders_in_flight](const ApiRequest& request, const RouteParams& params) {
               return export_wav(context, request, params, renders_in_flight);
             });
  router.add("GET", "/api/universes/{id}/export.json",
             [&context](const ApiRequest& request, const RouteParams& params) {
               return export_json(context, request, params);
             });
  router.add("POST", "/api/universes/import",
             [&context](const ApiRequest& request, const RouteParams&) { return import_json(context, request); });
}

}  // namespace harmonic::http
