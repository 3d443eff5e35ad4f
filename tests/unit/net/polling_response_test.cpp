#include <catch2/catch.hpp>

#include <boost/beast/http.hpp>

#include "net/polling_response.hpp"

namespace http = boost::beast::http;
using harmonic::net::polling_response_bytes;
using harmonic::net::PollingResponseHead;

namespace {

// Reads the bytes back with Beast's parser: the answer must be well-formed HTTP.
http::response<http::string_body> parse(const std::string& bytes, bool head_request = false) {
  http::response_parser<http::string_body> parser;
  parser.skip(head_request);
  boost::beast::error_code ec;
  // put() stops after the header; the body is a second call.
  std::size_t used = 0;
  while (!parser.is_done() && used < bytes.size()) {
    const auto took = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    REQUIRE_FALSE(ec);
    if (took == 0) break;
    used += took;
  }
  if (!parser.is_done() && !parser.need_eof()) parser.put_eof(ec);
  REQUIRE(parser.is_done());
  REQUIRE(used == bytes.size());  // nothing after the answer
  return parser.release();
}

std::string field(const http::response<http::string_body>& response, http::field name) {
  const auto value = response[name];
  return {value.data(), value.size()};
}

}  // namespace

TEST_CASE("a polling payload answer carries its body and the headers every answer has") {
  PollingResponseHead head;
  head.content_type = "text/plain; charset=UTF-8";
  const auto response = parse(polling_response_bytes(head, "42[\"a\"]\x1e" "2"));
  CHECK(response.result_int() == 200);
  CHECK(response.reason() == "OK");
  CHECK(response.version() == 11);
  CHECK(response.body() == "42[\"a\"]\x1e" "2");
  CHECK(field(response, http::field::content_type) == "text/plain; charset=UTF-8");
  CHECK(field(response, http::field::content_length) == "9");
  CHECK(field(response, http::field::server) == "harmonic-server");
  CHECK(field(response, http::field::vary) == "Origin");
  CHECK(response.keep_alive());
  CHECK(response.count(http::field::access_control_allow_origin) == 0);
}

TEST_CASE("a polling answer to an allow-listed origin names it, never *") {
  PollingResponseHead head;
  head.content_type = "text/html";
  head.allowed_origin = "https://app.example";
  const auto response = parse(polling_response_bytes(head, "ok"));
  CHECK(field(response, http::field::access_control_allow_origin) == "https://app.example");
  CHECK(field(response, http::field::access_control_allow_credentials) == "true");
  CHECK(response.body() == "ok");
}

TEST_CASE("a polling error answer keeps its status, and closing is said for each HTTP version") {
  PollingResponseHead head;
  head.status = 400;
  head.content_type = "application/json";
  head.keep_alive = false;
  const auto closing = parse(polling_response_bytes(head, R"({"code":1,"message":"Session ID unknown"})"));
  CHECK(closing.result_int() == 400);
  CHECK(closing.reason() == "Bad Request");
  CHECK_FALSE(closing.keep_alive());
  CHECK(field(closing, http::field::connection) == "close");

  head.version = 10;
  const auto old_closing = parse(polling_response_bytes(head, "{}"));
  CHECK(old_closing.version() == 10);
  CHECK_FALSE(old_closing.keep_alive());
  head.keep_alive = true;
  const auto old_kept = parse(polling_response_bytes(head, "{}"));
  CHECK(old_kept.keep_alive());
  CHECK(field(old_kept, http::field::connection) == "keep-alive");
}

TEST_CASE("a HEAD request gets the headers with the body's length and no body") {
  PollingResponseHead head;
  head.content_type = "application/json";
  head.head_request = true;
  const auto bytes = polling_response_bytes(head, "{\"code\":2}");
  CHECK(bytes.ends_with("\r\n\r\n"));
  const auto response = parse(bytes, true);
  CHECK(field(response, http::field::content_length) == "10");
  CHECK(response.body().empty());
}

TEST_CASE("an answer without a content type has no Content-Type header") {
  PollingResponseHead head;
  head.status = 413;
  const auto response = parse(polling_response_bytes(head, ""));
  CHECK(response.result_int() == 413);
  CHECK(response.count(http::field::content_type) == 0);
  CHECK(field(response, http::field::content_length) == "0");
}
