#include <catch2/catch.hpp>

#include "protocol/engineio.hpp"
#include "protocol/socketio.hpp"

using namespace harmonic::protocol;

namespace {
SocketPacket parse_ok(std::string_view text) {
  auto result = parse_socket_packet(text);
  REQUIRE(std::holds_alternative<SocketPacket>(result));
  return std::get<SocketPacket>(result);
}
std::string parse_error(std::string_view text) {
  auto result = parse_socket_packet(text);
  REQUIRE(std::holds_alternative<PacketError>(result));
  return std::get<PacketError>(result).message;
}
}  // namespace

TEST_CASE("Engine.IO packets are split into type and data") {
  auto packet = parse_engine_packet("42[\"x\"]");
  REQUIRE(packet);
  CHECK(packet->type == EnginePacketType::message);
  CHECK(packet->data == "2[\"x\"]");
  CHECK(parse_engine_packet("2")->type == EnginePacketType::ping);
  CHECK_FALSE(parse_engine_packet(""));
  CHECK_FALSE(parse_engine_packet("7"));
  CHECK_FALSE(parse_engine_packet("x"));
}

TEST_CASE("the open handshake round trips") {
  EngineHandshake handshake{"abc", 25000, 20000, 1000000, {}};
  const auto frame = encode_engine_open(handshake);
  REQUIRE(frame.front() == '0');
  auto json = nlohmann::json::parse(frame.substr(1));
  CHECK(json["upgrades"] == nlohmann::json::array());
  auto back = parse_engine_open(frame.substr(1));
  REQUIRE(back);
  CHECK(back->sid == "abc");
  CHECK(back->ping_interval_ms == 25000);
  CHECK(back->max_payload == 1000000);
  CHECK(back->upgrades.empty());
}

TEST_CASE("the open handshake over polling offers the websocket upgrade") {
  EngineHandshake handshake{"abc", 25000, 20000, 1000000, {"websocket"}};
  const auto frame = encode_engine_open(handshake);
  CHECK(nlohmann::json::parse(frame.substr(1))["upgrades"] == nlohmann::json::array({"websocket"}));
  const auto back = parse_engine_open(frame.substr(1));
  REQUIRE(back);
  CHECK(back->upgrades == std::vector<std::string>{"websocket"});
}

TEST_CASE("an open handshake with a mistyped or out-of-range number is refused, never a throw") {
  // A string threw out of parse_engine_open and 1e300 was cast to uint32 (undefined
  // behaviour); found with tests/fuzz/socketio_packet.cpp.
  CHECK_FALSE(parse_engine_open(R"({"sid":"a","pingInterval":"25000"})"));
  CHECK_FALSE(parse_engine_open(R"({"sid":"a","pingTimeout":1e300})"));
  CHECK_FALSE(parse_engine_open(R"({"sid":"a","maxPayload":-1})"));
  CHECK_FALSE(parse_engine_open(R"({"sid":"a","maxPayload":4294967296})"));
  CHECK_FALSE(parse_engine_open(R"({"sid":"a","pingInterval":1.5})"));
  const auto plain = parse_engine_open(R"({"sid":"a","pingInterval":4294967295})");
  REQUIRE(plain);
  CHECK(plain->ping_interval_ms == 4294967295u);
  CHECK(plain->ping_timeout_ms == 20000);
}

TEST_CASE("CONNECT packets carry the auth object") {
  auto packet = parse_ok("0{\"token\":\"t\"}");
  CHECK(packet.type == SocketPacketType::connect);
  CHECK(packet.nsp == "/");
  CHECK(packet.data["token"] == "t");
  CHECK(parse_ok("0").data.is_null());
  auto admin = parse_ok("0/admin,{\"token\":\"t\"}");
  CHECK(admin.nsp == "/admin");
  CHECK(admin.data["token"] == "t");
}

TEST_CASE("EVENT packets with and without ack ids") {
  auto packet = parse_ok("2[\"universe:join\",{\"universe_id\":\"1\"}]");
  auto event = event_from_packet(packet);
  REQUIRE(event);
  CHECK(event->name == "universe:join");
  CHECK(event->payload["universe_id"] == "1");
  CHECK_FALSE(event->ack_id);

  auto with_ack = event_from_packet(parse_ok("212[\"a\",1]"));
  REQUIRE(with_ack);
  CHECK(with_ack->ack_id == 12u);
  CHECK(with_ack->payload == 1);

  auto namespaced = parse_ok("2/chat,7[\"a\"]");
  CHECK(namespaced.nsp == "/chat");
  CHECK(namespaced.ack_id == 7u);
  CHECK(event_from_packet(namespaced)->payload.is_null());
}

TEST_CASE("encoders produce what socket.io-client expects") {
  CHECK(encode_event_frame("a", {{"x", 1}}) == R"(42["a",{"x":1}])");
  CHECK(encode_ack_frame(5, {{"ok", true}}) == R"(435[{"ok":true}])");
  CHECK(encode_connect_frame({{"sid", "s"}}) == R"(40{"sid":"s"})");
  CHECK(encode_connect_error_frame("unauthorized") == R"(44{"message":"unauthorized"})");
  CHECK(encode_connect_error_frame("/x", "nope") == R"(44/x,{"message":"nope"})");
  CHECK(encode_client_event_frame("a", 1, 3) == R"(423["a",1])");
}

TEST_CASE("hostile packets are refused with a reason, never a throw") {
  CHECK_FALSE(parse_error("").empty());
  CHECK_FALSE(parse_error("9").empty());
  CHECK_FALSE(parse_error("x[]").empty());
  CHECK_FALSE(parse_error("2[\"a\",").empty());               // truncated JSON
  CHECK_FALSE(parse_error("51-[\"a\",{\"_placeholder\":true,\"num\":0}]").empty());  // binary
  CHECK_FALSE(parse_error("21234567890123456789[\"a\"]").empty());  // ack id overflow
  CHECK_FALSE(parse_error("2[\"\xff\xfe\"]").empty());          // invalid UTF-8
  std::string deep = "2" + std::string(100000, '[') + std::string(100000, ']');
  CHECK_FALSE(parse_error(deep).empty());
}

TEST_CASE("an event must be a non-empty array starting with a name") {
  CHECK_FALSE(event_from_packet(parse_ok("2{\"a\":1}")));
  CHECK_FALSE(event_from_packet(parse_ok("2[]")));
  CHECK_FALSE(event_from_packet(parse_ok("2[1,2]")));
  CHECK_FALSE(event_from_packet(parse_ok("3[\"a\"]")));
}

TEST_CASE("nesting is bounded but strings may contain brackets") {
  CHECK(parse_untrusted_json(R"({"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})"));
  CHECK(parse_untrusted_json(std::string(32, '[') + std::string(32, ']')));
  CHECK_FALSE(parse_untrusted_json(std::string(33, '[') + std::string(33, ']')));
  CHECK_FALSE(parse_untrusted_json(R"({"a":"\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})" + std::string(40, '[')));
}
