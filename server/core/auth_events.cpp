// Who is on the other end: the token in the Socket.IO CONNECT packet, or a later
// `authenticate` event. One connection has one identity for its whole life.
#include <spdlog/spdlog.h>

#include "auth/token_sessions.hpp"
#include "core/event_error.hpp"
#include "core/payload_fields.hpp"
#include "core/realtime_hub.hpp"
#include "core/wire_format.hpp"

namespace harmonic::core {

namespace code = protocol::error_code;

namespace {
constexpr std::size_t max_token_bytes = 4096;
}

std::optional<Identity> RealtimeHub::identify(const nlohmann::json& token) {
  if (!token.is_string() || token.get_ref<const std::string&>().size() > max_token_bytes) return std::nullopt;
  // Signature, expiry, revocation and the user's token generation (token_sessions.hpp).
  const auto session = auth::accept_token(tokens_, store_, token.get_ref<const std::string&>());
  if (!session) return std::nullopt;
  return Identity{session->user.id, session->user.username, session->claims.token_id, session->expires_at_ms(),
                  session->claims.generation};
}

void RealtimeHub::on_namespace_connect(Connection& connection, const protocol::SocketPacket& packet) {
  if (packet.nsp != "/") {
    outbox_.send(connection.id,
                 make_frame(protocol::encode_connect_error_frame(packet.nsp, "Invalid namespace")));
    return;
  }
  if (packet.data.is_object() && packet.data.contains("token")) {
    auto identity = identify(packet.data["token"]);
    if (!identity) {
      metrics_.count_error(code::unauthorized);
      outbox_.send(connection.id, make_frame(protocol::encode_connect_error_frame(code::unauthorized)));
      return;
    }
    if (connection.identity && connection.identity->user_id != identity->user_id) {
      outbox_.send(connection.id, make_frame(protocol::encode_connect_error_frame(code::unauthorized)));
      return;
    }
    if (!take_identity(connection, std::move(*identity))) {
      outbox_.send(connection.id, make_frame(protocol::encode_connect_error_frame(code::too_many_connections)));
      outbox_.close_over_capacity(connection.id, "too many connections for this user");
      return;
    }
  }
  connection.namespace_connected = true;
  outbox_.send(connection.id, make_frame(protocol::encode_connect_frame({{"sid", "s" + std::to_string(connection.id)}})));
}

nlohmann::json RealtimeHub::on_authenticate(EventContext& context) {
  const auto& payload = require_object(context.payload);
  const auto token = payload.find("token");
  auto identity = token == payload.end() ? std::nullopt : identify(*token);
  if (!identity) throw EventError(code::unauthorized, "the token is not valid");
  if (context.connection.identity && context.connection.identity->user_id != identity->user_id) {
    throw EventError(code::unauthorized, "this connection is already authenticated as another user");
  }
  if (!take_identity(context.connection, *identity)) {
    throw EventError(code::too_many_connections,
                     "this account has too many connections open; close one and try again later",
                     {{"limit", options_.max_sockets_per_user}});
  }
  const nlohmann::json user = {{"id", identity->user_id}, {"username", identity->username}};
  emit_to(context.connection.id, "authenticated", {{"user", user}});
  return {{"user", user}};
}

}  // namespace harmonic::core
