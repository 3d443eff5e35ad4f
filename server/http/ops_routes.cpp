// For operators and load balancers: GET /healthz (the store answers a query, and its
// writes reach the disk: 503 "degraded" while the disk is full) and
// GET /metrics (Prometheus text format). Health is always open. Metrics are open unless
// the operator set a metrics token (--metrics-token): a server on the public internet
// should not tell everyone how many people are connected and what they do.
#include "auth/hmac_sha256.hpp"
#include "http/json_responses.hpp"
#include "http/request_body.hpp"
#include "http/routes.hpp"
#include "protocol/error_codes.hpp"

namespace harmonic::http {

namespace {

ApiResponse health(ApiContext& context) {
  try {
    (void)context.store.get_setting("healthz.probe");
  } catch (const std::exception&) {
    return error_response(503, error_code::unavailable, "the store does not answer");
  }
  // Reads work but writes do not: a load balancer should stop sending new work here, and
  // the operator should free disk space (docs/operations.md, "Disk full"). Clears itself
  // with the first write that commits.
  if (context.store.out_of_space()) {
    return json_response(503, {{"status", "degraded"},
                               {"reason", std::string(protocol::error_reason::disk_full)},
                               {"message", "the disk is full or failing: changes cannot be stored, reads still work"}});
  }
  // Cluster mode without Redis: every write is stored and acknowledged, but heard only on
  // the node that made it until Redis is back (docs/cluster.md). 200, not 503: every node
  // is in the same state, and a load balancer taking them all out would help nobody.
  if (context.fanout_down && context.fanout_down()) {
    return json_response(200, {{"status", "degraded"},
                               {"reason", "fanout_unavailable"},
                               {"message", "Redis is unreachable: changes are stored but reach only this node's members"}});
  }
  return json_response(200, {{"status", "ok"}});
}

ApiResponse metrics(ApiContext& context, const ApiRequest& request) {
  if (!context.metrics_token.empty()) {
    const auto token = bearer_token(request);
    if (!token || !auth::constant_time_equal(*token, context.metrics_token)) {
      throw ApiError(401, error_code::unauthorized, "metrics need the bearer token set with --metrics-token", {},
                     {{"WWW-Authenticate", "Bearer realm=\"metrics\""}});
    }
  }
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
  router.add("GET", "/metrics", [&context](const ApiRequest& request, const RouteParams&) { return metrics(context, request); });
}

}  // namespace harmonic::http
