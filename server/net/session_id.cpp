#include "net/session_id.hpp"

#include <random>

namespace harmonic::net {

namespace {
bool id_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
}  // namespace

std::string make_session_id(std::string_view node_id) {
  static std::mt19937_64 generator{std::random_device{}()};
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string sid(node_id);
  sid += '.';
  for (int i = 0; i < 20; ++i) sid += alphabet[generator() % 64];
  return sid;
}

std::string default_node_id(std::string_view host, unsigned short port) {
  std::string id;
  for (const char c : host) id += (id_character(c) && c != '_') ? c : '-';
  id += '-';
  id += std::to_string(port);
  return id;
}

bool valid_node_id(std::string_view node_id) {
  if (node_id.empty() || node_id.size() > 64) return false;
  for (const char c : node_id) {
    if (!id_character(c)) return false;
  }
  return true;
}

}  // namespace harmonic::net
