// The route groups of the REST API. Each adds its routes to the table; RestApi calls
// them once at construction. To add an endpoint, add it to the group it belongs to (or
// a new group here), e.g. the lead's GET /api/universes/{id}/export.wav next to
// export.json in transfer_routes.cpp.
#pragma once

#include "http/api_context.hpp"
#include "http/router.hpp"

namespace harmonic::http {

// POST /api/auth/register, login, logout, password; GET /api/auth/me
void add_auth_routes(Router& router, ApiContext& context);
// GET/POST /api/universes, GET/PATCH/DELETE /api/universes/{id}
void add_universe_routes(Router& router, ApiContext& context);
// GET/POST /api/universes/{id}/collaborators, DELETE /api/universes/{id}/collaborators/{user_id}
void add_collaborator_routes(Router& router, ApiContext& context);
// GET /api/universes/{id}/export.json, POST /api/universes/import
void add_transfer_routes(Router& router, ApiContext& context);
// GET /healthz, GET /metrics
void add_ops_routes(Router& router, ApiContext& context);

}  // namespace harmonic::http
