// Engine.IO session ids. Every sid starts with this node's id and a dot
// ("<node-id>.<random>"), so a load balancer in front of several nodes can send every
// polling request of a session to the node that holds it (docs/protocol.md, "Transports").
#pragma once

#include <string>
#include <string_view>

namespace harmonic::net {

// 20 random characters of the URL-safe base64 alphabet after "<node_id>.".
std::string make_session_id(std::string_view node_id);

// A node id from the address the server listens on, for when --node-id is not given:
// "127-0-0-1-8080" (characters other than letters and digits become '-').
std::string default_node_id(std::string_view host, unsigned short port);

// Letters, digits, '-' and '_', 1 to 64 of them: safe in a sid, a URL and a cookie.
bool valid_node_id(std::string_view node_id);

}  // namespace harmonic::net
