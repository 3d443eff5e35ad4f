#include <catch2/catch.hpp>

#include <array>
#include <string>

#include "net/websocket_frames.hpp"
#include "protocol/websocket_client_frame.hpp"

using namespace harmonic::net;

namespace {
// A client frame: masked with `key`, as RFC 6455 requires of clients.
std::string client_frame(unsigned first_byte, std::string_view payload,
                         std::array<char, 4> key = {'\x11', '\x22', '\x33', '\x44'}) {
  std::string out;
  harmonic::protocol::append_client_frame(out, static_cast<std::uint8_t>(first_byte), payload, key);
  return out;
}

ws::ParsedFrame parse(std::string& bytes, std::uint64_t max = 1000000) {
  return ws::parse_client_frame(std::span<char>(bytes.data(), bytes.size()), max);
}
}  // namespace

TEST_CASE("a masked text frame is parsed and unmasked in place", "[websocket]") {
  auto bytes = client_frame(0x81, "42[\"parameter:update\",{}]");
  const auto frame = parse(bytes);
  REQUIRE(frame.status == ws::ParsedFrame::Status::complete);
  CHECK(frame.fin);
  CHECK(frame.opcode == ws::Opcode::text);
  CHECK(frame.payload == "42[\"parameter:update\",{}]");
  CHECK(frame.consumed == bytes.size());
}

TEST_CASE("16-bit and 64-bit lengths", "[websocket]") {
  const std::string medium(300, 'a'), large(70000, 'b');
  auto m = client_frame(0x81, medium);
  auto l = client_frame(0x82, large);
  CHECK(parse(m).payload == medium);
  CHECK(parse(l).payload == large);
  CHECK(parse(l).opcode == ws::Opcode::binary);
}

TEST_CASE("an incomplete frame asks for more bytes, at every cut", "[websocket]") {
  const auto whole = client_frame(0x81, std::string(200, 'x'));
  for (std::size_t cut = 0; cut < whole.size(); ++cut) {
    std::string part = whole.substr(0, cut);
    CHECK(parse(part).status == ws::ParsedFrame::Status::need_more);
  }
}

TEST_CASE("protocol violations close with 1002", "[websocket]") {
  std::string unmasked = "\x81\x02hi";
  CHECK(parse(unmasked).close_code == ws::close_protocol_error);
  auto reserved = client_frame(0xC1, "hi");  // RSV1 without an extension
  CHECK(parse(reserved).close_code == ws::close_protocol_error);
  auto unknown = client_frame(0x83, "hi");
  CHECK(parse(unknown).close_code == ws::close_protocol_error);
  auto fragmented_ping = client_frame(0x09, "hi");
  CHECK(parse(fragmented_ping).close_code == ws::close_protocol_error);
  auto long_ping = client_frame(0x89, std::string(126, 'p'));
  CHECK(parse(long_ping).close_code == ws::close_protocol_error);
}

TEST_CASE("a data frame over the limit closes with 1009 from its header alone", "[websocket]") {
  auto big = client_frame(0x81, std::string(2000, 'x'));
  std::string header_only = big.substr(0, 8);
  const auto frame = parse(header_only, 1000);
  CHECK(frame.status == ws::ParsedFrame::Status::violation);
  CHECK(frame.close_code == ws::close_too_big);
}

TEST_CASE("server frames are unmasked with the shortest length", "[websocket]") {
  std::string out;
  ws::append_server_frame(out, ws::Opcode::text, "3");
  CHECK(out == std::string("\x81\x01" "3", 3));
  out.clear();
  ws::append_server_frame(out, ws::Opcode::text, std::string(300, 'a'));
  CHECK(static_cast<unsigned char>(out[1]) == 126);
  CHECK(out.size() == 4 + 300);
  out.clear();
  ws::append_server_frame(out, ws::Opcode::close, ws::close_payload(1009));
  CHECK(out == std::string("\x88\x02\x03\xf1", 4));
}

TEST_CASE("UTF-8 validation", "[websocket]") {
  CHECK(ws::valid_utf8("plain ascii, long enough to use the wide path"));
  CHECK(ws::valid_utf8("gr\xc3\xa4vity \xe2\x82\xac \xf0\x9f\x8e\xb5"));
  CHECK_FALSE(ws::valid_utf8("\xc3\x28"));           // bad continuation
  CHECK_FALSE(ws::valid_utf8("\xc0\xaf"));           // overlong
  CHECK_FALSE(ws::valid_utf8("\xed\xa0\x80"));       // surrogate
  CHECK_FALSE(ws::valid_utf8("\xf4\x90\x80\x80"));   // above U+10FFFF
  CHECK_FALSE(ws::valid_utf8("abc\xe2\x82"));        // truncated
}

TEST_CASE("close bodies: valid codes and UTF-8 reasons pass, reserved codes are 1002, bad reasons 1007",
          "[websocket]") {
  const auto body = [](unsigned code, std::string_view reason = "") {
    return ws::close_payload(static_cast<std::uint16_t>(code)) + std::string(reason);
  };
  CHECK(ws::close_body_violation("") == 0);  // no code at all is allowed
  for (unsigned code : {1000u, 1001u, 1002u, 1003u, 1007u, 1008u, 1009u, 1010u, 1011u, 1012u, 1013u, 1014u, 3000u,
                        3999u, 4000u, 4999u}) {
    INFO("code " << code);
    CHECK(ws::close_body_violation(body(code)) == 0);
    CHECK(ws::close_body_violation(body(code, "bye \xc3\xa9")) == 0);
  }
  for (unsigned code : {0u, 1u, 999u, 1004u, 1005u, 1006u, 1015u, 1016u, 1100u, 2000u, 2999u, 5000u, 65535u}) {
    INFO("code " << code);
    CHECK(ws::close_body_violation(body(code)) == ws::close_protocol_error);
  }
  CHECK(ws::close_body_violation(std::string(1, '\x03')) == ws::close_protocol_error);  // half a code
  CHECK(ws::close_body_violation(body(1000, "\xff")) == ws::close_invalid_payload);
  CHECK(ws::close_body_violation(body(1000, "\xed\xa0\x80")) == ws::close_invalid_payload);  // a surrogate
  CHECK(ws::close_body_violation(body(4000, "ok\xc3")) == ws::close_invalid_payload);         // cut short
}

TEST_CASE("server_frame_size is what append_server_frame appends", "[websocket]") {
  for (std::size_t size : {0u, 1u, 125u, 126u, 65535u, 65536u, 70000u}) {
    std::string out;
    ws::append_server_frame(out, ws::Opcode::text, std::string(size, 'x'));
    CHECK(ws::server_frame_size(size) == out.size());
  }
}
