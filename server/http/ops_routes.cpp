// For operators and load balancers: GET /healthz (the store answers a query) and
// GET /metrics (Prometheus text format). Neither needs a token.
#include "http/json_responses.hpp"
#include "http/routes.hpp"

namespace harmonic::http {

namespace {

ApiResponse health(ApiContext& context) {
  try {
    (void)context.store.get_setting("healthz.probe");
  } catch (const std::exception&) {
    return error_response(503, error_code::unavailable, "the store does not answer");
  }
  return json_response(200, {{"status", "ok"}});
}

ApiResponse metrics(ApiContext& context) {
  ApiResponse response;
  response.status = 200;
  response.content_type = "text/plain; version=0.0.4";
  response.body = context.metrics.render_prometheus();
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

void add_ops_routes(Router& router, ApiContext& context) {
  router.add("GET", "/healthz", [&context](const ApiRequest&, const RouteParams&) { return health(context); });
  router.add("GET", "/metrics", [&context](const ApiRequest&, const RouteParams&) { return metrics(context); });
}

}  // namespace harmonic::http
