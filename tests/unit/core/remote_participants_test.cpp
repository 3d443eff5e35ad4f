// The mirror of other nodes' participants (core/remote_participants.hpp, docs/cluster.md
// "Presence").
#include <catch2/catch.hpp>

#include "core/remote_participants.hpp"

using harmonic::core::PresenceEntry;
using harmonic::core::RemoteParticipants;

TEST_CASE("remote participants: a user on two nodes stays until both entries are gone") {
  RemoteParticipants remote;
  remote.set({"n1.a", "u1", "ann", "active"});
  remote.set({"n2.b", "u1", "ann", "idle"});
  remote.set({"n2.b", "u2", "bob", "active"});
  CHECK(remote.users() == std::set<std::string>{"u1", "u2"});

  // n2 dies: bob is on no node any more, ann still is through n1.
  CHECK(remote.drop_node("n2.b") == std::vector<std::string>{"u2"});
  CHECK(remote.has("u1"));
  CHECK_FALSE(remote.has("u2"));
  CHECK(remote.drop_node("n2.b").empty());  // already gone

  remote.remove("n1.a", "u1");
  CHECK(remote.empty());
  remote.remove("n1.a", "u1");  // nothing to remove: no change
  CHECK(remote.empty());
}

TEST_CASE("remote participants: listed once each, after the users given to skip") {
  RemoteParticipants remote;
  remote.set({"n1.a", "u1", "ann", "away"});
  remote.set({"n2.b", "u1", "ann", "active"});
  remote.set({"n2.b", "u3", "cy", "active"});
  auto list = nlohmann::json::array({{{"id", "u3"}, {"username", "cy"}, {"status", "active"}}});
  remote.append_json(list, {"u3"});
  REQUIRE(list.size() == 2);
  CHECK(list[1]["id"] == "u1");
  CHECK(list[1]["status"] == "away");  // the first node's entry
}

TEST_CASE("remote participants: a node's whole list replaces only that node's entries") {
  RemoteParticipants remote;
  remote.set({"n1.a", "u1", "ann", "active"});
  remote.set({"n2.b", "u2", "bob", "active"});
  remote.set({"n2.b", "u3", "cy", "active"});
  remote.replace_node("n2.b", {PresenceEntry{"n2.b", "u3", "cy", "idle"}, PresenceEntry{"n9.z", "u9", "x", "active"}});
  CHECK(remote.users() == std::set<std::string>{"u1", "u3"});  // another node's entry is not taken
  remote.replace({PresenceEntry{"n3.c", "u4", "dee", "active"}});
  CHECK(remote.users() == std::set<std::string>{"u4"});
}
