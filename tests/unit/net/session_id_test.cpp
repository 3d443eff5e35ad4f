#include <catch2/catch.hpp>

#include "net/session_id.hpp"

using namespace harmonic::net;

TEST_CASE("sids start with the node id and differ") {
  const auto a = make_session_id("node-a");
  const auto b = make_session_id("node-a");
  CHECK(a.rfind("node-a.", 0) == 0);
  CHECK(a.size() == std::string("node-a.").size() + 20);
  CHECK(a != b);
}

TEST_CASE("the default node id comes from host and port") {
  CHECK(default_node_id("127.0.0.1", 8080) == "127-0-0-1-8080");
  CHECK(default_node_id("::1", 9000) == "--1-9000");
  CHECK(valid_node_id(default_node_id("::", 1)));
}

TEST_CASE("node ids are letters, digits, - and _") {
  CHECK(valid_node_id("eu-1_b"));
  CHECK_FALSE(valid_node_id(""));
  CHECK_FALSE(valid_node_id("a.b"));
  CHECK_FALSE(valid_node_id("a/b"));
  CHECK_FALSE(valid_node_id(std::string(65, 'a')));
}
