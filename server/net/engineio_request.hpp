// The Engine.IO v4 rules every request to /socket.io/ is checked against, whatever its
// transport, and the error answers of the specification (engine.io-protocol, and the
// reference server's `Server.errors`): status 400 (403 for "Forbidden") with a JSON body
// {"code":N,"message":"..."}. docs/protocol.md, "Transports", lists them.
//
// Only what the query and method say is checked here; whether a `sid` names a live
// session, and whether that session is on the transport asked for, is the session
// table's to say (net/polling_sessions.hpp).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace harmonic::net {

enum class EngineError {
  unknown_transport = 0,
  unknown_sid = 1,
  bad_handshake_method = 2,
  bad_request = 3,
  forbidden = 4,
  unsupported_protocol_version = 5,
};

struct EngineErrorAnswer {
  unsigned status = 400;
  std::string body;  // application/json
};
EngineErrorAnswer engine_error_answer(EngineError error);

enum class EngineTransport { polling, websocket };

struct EngineQuery {
  EngineTransport transport = EngineTransport::polling;
  std::string sid;  // empty: a handshake (a new session)
};

// `method` is the HTTP method ("GET", "POST", ...); `websocket_upgrade` whether the
// request asks for a WebSocket.
std::variant<EngineQuery, EngineError> check_engine_request(const std::map<std::string, std::string>& query,
                                                            std::string_view method, bool websocket_upgrade);

}  // namespace harmonic::net
