// Before the load: users and universes through the server's REST API (the same two
// endpoints on harmonic-server and on the reference), over plain blocking HTTP.
#pragma once

#include <string>
#include <vector>

namespace harmonic::bench {

struct BenchUser {
  std::string id;
  std::string token;
};

class RestSetup {
 public:
  RestSetup(std::string host, unsigned short port) : host_(std::move(host)), port_(port) {}
  // Registers `count` users named <prefix>_<i>. Tokens are reused by every connection of a user.
  std::vector<BenchUser> register_users(const std::string& prefix, std::size_t count);
  // A public universe owned by `owner`; returns its id.
  std::string create_universe(const BenchUser& owner, const std::string& name);

 private:
  std::string post(const std::string& target, const std::string& body, const std::string& bearer);
  std::string host_;
  unsigned short port_;
};

}  // namespace harmonic::bench
