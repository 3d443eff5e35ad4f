#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "net/engineio_request.hpp"

using namespace harmonic::net;

namespace {
std::variant<EngineQuery, EngineError> check(std::map<std::string, std::string> query, std::string_view method = "GET",
                                             bool upgrade = false) {
  return check_engine_request(query, method, upgrade);
}
EngineError error_of(const std::variant<EngineQuery, EngineError>& result) {
  REQUIRE(std::holds_alternative<EngineError>(result));
  return std::get<EngineError>(result);
}
}  // namespace

TEST_CASE("error answers carry the specification's codes and messages") {
  const auto answer = engine_error_answer(EngineError::unknown_sid);
  CHECK(answer.status == 400);
  CHECK(nlohmann::json::parse(answer.body) == nlohmann::json{{"code", 1}, {"message", "Session ID unknown"}});
  CHECK(engine_error_answer(EngineError::forbidden).status == 403);
  CHECK(nlohmann::json::parse(engine_error_answer(EngineError::unsupported_protocol_version).body)["code"] == 5);
  CHECK(nlohmann::json::parse(engine_error_answer(EngineError::unknown_transport).body)["message"] == "Transport unknown");
}

TEST_CASE("handshakes and session requests are told apart") {
  auto handshake = check({{"EIO", "4"}, {"transport", "polling"}});
  REQUIRE(std::holds_alternative<EngineQuery>(handshake));
  CHECK(std::get<EngineQuery>(handshake).transport == EngineTransport::polling);
  CHECK(std::get<EngineQuery>(handshake).sid.empty());
  auto post = check({{"EIO", "4"}, {"transport", "polling"}, {"sid", "n.abc"}}, "POST");
  REQUIRE(std::holds_alternative<EngineQuery>(post));
  CHECK(std::get<EngineQuery>(post).sid == "n.abc");
  auto upgrade = check({{"EIO", "4"}, {"transport", "websocket"}, {"sid", "n.abc"}}, "GET", true);
  REQUIRE(std::holds_alternative<EngineQuery>(upgrade));
  CHECK(std::get<EngineQuery>(upgrade).transport == EngineTransport::websocket);
}

TEST_CASE("every malformed request gets its error code") {
  CHECK(error_of(check({{"transport", "polling"}})) == EngineError::unsupported_protocol_version);
  CHECK(error_of(check({{"EIO", "3"}, {"transport", "polling"}})) == EngineError::unsupported_protocol_version);
  CHECK(error_of(check({{"EIO", "4"}})) == EngineError::unknown_transport);
  CHECK(error_of(check({{"EIO", "4"}, {"transport", "flashsocket"}})) == EngineError::unknown_transport);
  CHECK(error_of(check({{"EIO", "4"}, {"transport", "polling"}}, "POST")) == EngineError::bad_handshake_method);
  CHECK(error_of(check({{"EIO", "4"}, {"transport", "polling"}, {"sid", ""}})) == EngineError::unknown_sid);
  // websocket only with an upgrade, and an upgrade only for websocket
  CHECK(error_of(check({{"EIO", "4"}, {"transport", "websocket"}})) == EngineError::bad_request);
  CHECK(error_of(check({{"EIO", "4"}, {"transport", "websocket"}, {"sid", "x"}})) == EngineError::bad_request);
  CHECK(error_of(check({{"EIO", "4"}, {"transport", "polling"}}, "GET", true)) == EngineError::bad_request);
}
