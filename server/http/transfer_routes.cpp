// Export and import of a universe as a JSON document (universe_transfer.hpp). Export is
// for anyone who can see the universe; import creates a new universe owned by the caller.
// export.wav renders the universe's music from its stored seed and parameters with the
// same code the clients play; the rendering runs off the I/O thread (ApiResponse::offload).
#include <cmath>
#include <memory>

#include "http/input_rules.hpp"
#include "http/json_responses.hpp"
#include "http/render_turns.hpp"
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
// Who renders when: render_turns.hpp.
constexpr RenderTurnLimits render_turn_limits{1, 64, 10'000};
constexpr int come_back_after_seconds = 1;  // well within place_kept_ms

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

void add_wav_headers(ApiResponse& response, const std::string& filename) {
  response.content_type = "audio/wav";
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  response.headers.emplace_back("Cache-Control", "no-store");
}

void refuse_render(const RenderTurns::Answer& answer) {
  const auto retry = std::to_string(come_back_after_seconds);
  switch (answer.outcome) {
    case RenderTurns::Outcome::already_rendering:
      throw ApiError(429, error_code::rate_limited, "your previous export is still rendering; one at a time",
                     {{"reason", "export_in_progress"}, {"retry_after_seconds", come_back_after_seconds}},
                     {{"Retry-After", retry}});
    case RenderTurns::Outcome::waiting:
      throw ApiError(503, error_code::unavailable,
                     "the server is rendering other exports; your place in line is kept if you retry shortly",
                     {{"reason", "export_queue"}, {"place", answer.place},
                      {"retry_after_seconds", come_back_after_seconds}},
                     {{"Retry-After", retry}});
    default:
      throw ApiError(503, error_code::unavailable, "the server is busy rendering audio; try again shortly",
                     {{"reason", "export_busy"}, {"retry_after_seconds", come_back_after_seconds}},
                     {{"Retry-After", retry}});
  }
}

ApiResponse export_wav(ApiContext& context, const ApiRequest& request, const RouteParams& params,
                       const std::shared_ptr<RenderTurns>& turns) {
  const auto user = authenticate(context, request);
  const auto access = visible_universe(context, params.at("id"), user);
  const double seconds = requested_seconds(request);
  const auto filename = "universe-" + access.universe.id + ".wav";
  if (request.method == "HEAD") {
    // The size follows from the length alone: nothing is rendered to answer a HEAD.
    ApiResponse head;
    add_wav_headers(head, filename);
    head.headers.emplace_back("Content-Length", std::to_string(music::universe_wav_size(seconds)));
    return head;
  }
  const auto turn = turns->try_start(user.id, context.clock());
  if (turn.outcome != RenderTurns::Outcome::started) refuse_render(turn);
  // Ends the turn when the last copy of the job goes: after the render, or unrun.
  auto release = std::shared_ptr<void>(nullptr, [turns, user_id = user.id](void*) { turns->finish(user_id); });
  const auto settings = universe::settings_from_parameters(context.store.load_parameters(access.universe.id));
  const auto seed = access.universe.seed;
  ApiResponse deferred;
  deferred.offload = [settings, seed, seconds, filename, release = std::move(release)]() mutable {
    const auto done = std::move(release);
    const auto wav = music::render_universe_wav(seed, settings.physics, settings.music, settings.audio, seconds);
    ApiResponse response;
    response.body.assign(wav.begin(), wav.end());
    add_wav_headers(response, filename);
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
  auto turns = std::make_shared<RenderTurns>(render_turn_limits);
  router.add("GET", "/api/universes/{id}/export.wav",
             [&context, turns](const ApiRequest& request, const RouteParams& params) {
               return export_wav(context, request, params, turns);
             });
  router.add("GET", "/api/universes/{id}/export.json",
             [&context](const ApiRequest& request, const RouteParams& params) {
               return export_json(context, request, params);
             });
  router.add("POST", "/api/universes/import",
             [&context](const ApiRequest& request, const RouteParams&) { return import_json(context, request); });
}

}  // namespace harmonic::http
