// harmonic-server's command line, parsed with CLI11.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "http/api_request_budget.hpp"

namespace CLI {
class App;
}

namespace harmonic::app {

struct ServerOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::string data_dir = "./data";
  std::string postgres;     // libpq conninfo or postgresql:// URI; empty: SQLite in data_dir
  std::string redis;        // redis://host:port, the fan-out between nodes; needs postgres
  int presence_ttl_s = 15;  // a dead node's users leave rooms this long after its last beat (docs/cluster.md)
  std::string web_root;     // empty: look for the built web client next to the program
  std::string jwt_secret;   // empty: HARMONIC_JWT_SECRET, else one kept in the data dir
  std::string log_level = "info";
  std::string log_format = "text";  // app/log_format.hpp
  bool durable_fsync = false;  // SQLite synchronous=FULL: survive power loss, not only a crash
  // Transport and rate tuning (mostly for tests and benchmarks).
  std::uint32_t ping_interval_ms = 25000;
  std::uint32_t ping_timeout_ms = 20000;
  std::uint32_t max_payload = 1000000;
  double rate_limit = 20;
  double rate_burst = 40;
  double cursor_rate = 60;
  double cursor_burst = 120;
  int registrations_per_hour = 30;  // per remote address
  int send_threads = -1;            // helpers for broadcast send()s; -1: one if there are 2+ cores
  std::vector<std::string> trusted_proxies;  // peers whose X-Forwarded-For is believed
  std::string metrics_token;  // empty: GET /metrics is open
  // Connection caps and deadlines (docs/operations.md, "Connection limits and backpressure").
  std::size_t max_connections = 10000;         // TCP connections at once
  std::size_t max_connections_per_ip = 64;     // per client address
  int max_sockets_per_user = 16;               // authenticated Socket.IO connections per account
  std::int64_t auth_timeout_ms = 10000;        // Socket.IO connection without an identity
  std::uint32_t http_header_timeout_ms = 10000;
  std::int64_t token_ttl_s = 7 * 24 * 3600;  // how long an issued token is valid, seconds
  // What one account may create (docs/operations.md, "Universe lists and quotas").
  std::int64_t max_universes_per_user = 200;
  int universe_creations_per_minute = 30;  // create and import together
  int api_rate_limit = http::default_api_requests_per_second;  // authenticated API requests per account
  // Retention per universe (docs/operations.md, "Retention").
  std::int64_t history_keep = 10000;
  std::int64_t chat_keep = 10000;
  std::string node_id;  // prefix of every Engine.IO sid; empty: derived from host and port
  std::vector<std::string> cors_origins;  // other sites allowed to call from a browser
  // TLS without a proxy (docs/operations.md, "TLS"): both files, or neither.
  std::string tls_cert;
  std::string tls_key;
  int redirect_http_port = -1;  // -1: none; 0 picks a free port
};

// Returns the options, or the process exit code when parsing ended the program (--help, errors).
// Every option can also come from a TOML file given with --config (docs/operations.md,
// "Config file"); the command line overrides the file.
std::variant<ServerOptions, int> parse_options(int argc, char** argv);

// Declares every option of the server on cli, bound to options (parse_options, and
// config_template.hpp which documents them all).
void define_server_options(CLI::App& cli, ServerOptions& options);

}  // namespace harmonic::app
