#include "app/options.hpp"

#include <CLI/CLI.hpp>

#include "app/log_format.hpp"
#include "net/origin_policy.hpp"
#include "net/session_id.hpp"

namespace harmonic::app {

void define_server_options(CLI::App& cli, ServerOptions& options) {
  // The last of a repeated option wins, so a wrapper's defaults can be overridden by
  // arguments appended after them (scripts/start.sh --port 9000).
  cli.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cli.add_option("--host", options.host, "Address to listen on")->capture_default_str();
  cli.add_option("--port", options.port, "TCP port (0 picks a free one)")->capture_default_str();
  cli.add_option("--data-dir", options.data_dir, "Folder for the SQLite database")->capture_default_str();
  auto* postgres = cli.add_option("--postgres", options.postgres,
                                  "Store in PostgreSQL instead of SQLite: a libpq connection string or postgresql:// URI");
  cli.add_option("--redis", options.redis,
                 "redis://host[:port]: cluster mode, nodes on one --postgres database hear each other through "
                 "Redis pub/sub (docs/operations.md, \"Cluster mode\")")
      ->needs(postgres);
  cli.add_option("--presence-ttl", options.presence_ttl_s,
                 "Cluster mode: seconds after its last liveness beat a node's users leave every room (docs/cluster.md)")
      ->check(CLI::Range(3, 300))
      ->group("Tuning")
      ->capture_default_str();
  cli.add_option("--web-root", options.web_root,
                 "Folder with the web client (default: ../share/harmonic-universe/site next to an installed program, else build-web/site, else web-assets/ of a checkout)");
  cli.add_option("--jwt-secret", options.jwt_secret,
                 "Secret for signing tokens (default: $HARMONIC_JWT_SECRET, else generated once and kept in the data dir)");
  cli.add_option("--log-level", options.log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  cli.add_option("--log-format", options.log_format, "text, or json: one JSON object per line (journald, Loki)")
      ->check(CLI::IsMember({app::kLogFormatText, app::kLogFormatJson}))
      ->capture_default_str();
  cli.add_flag("--fsync", options.durable_fsync, "fsync every commit (survives power loss, slower)");
  auto* tuning = "Tuning";
  cli.add_option("--ping-interval", options.ping_interval_ms, "Engine.IO ping interval, ms")->group(tuning)->capture_default_str();
  cli.add_option("--ping-timeout", options.ping_timeout_ms, "Engine.IO ping timeout, ms")->group(tuning)->capture_default_str();
  cli.add_option("--max-payload", options.max_payload, "Largest WebSocket message, bytes")->group(tuning)->capture_default_str();
  cli.add_option("--rate-limit", options.rate_limit, "Events per second per connection")->group(tuning)->capture_default_str();
  cli.add_option("--rate-burst", options.rate_burst, "Event burst per connection")->group(tuning)->capture_default_str();
  cli.add_option("--cursor-rate", options.cursor_rate, "Cursor frames per second per connection")->group(tuning)->capture_default_str();
  cli.add_option("--cursor-burst", options.cursor_burst, "Cursor burst per connection")->group(tuning)->capture_default_str();
  cli.add_option("--register-limit", options.registrations_per_hour, "Registrations per hour per remote address")
      ->check(CLI::PositiveNumber)->group(tuning)->capture_default_str();
  cli.add_option("--send-threads", options.send_threads,
                 "Helper threads for the send() calls of large batches of writes: 0 or 1 (default: 1 with 2+ cores)")
      ->check(CLI::Range(0, 1))->group(tuning);
  cli.add_option("--trusted-proxy", options.trusted_proxies,
                 "A reverse proxy's IP address (repeatable): its X-Forwarded-For names the client for "
                 "the per-address login and registration limits")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  auto* limits = "Connection limits";
  cli.add_option("--max-connections", options.max_connections, "TCP connections at once; past it new ones get 503")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  cli.add_option("--max-connections-per-ip", options.max_connections_per_ip,
                 "Connections at once from one client address (behind --trusted-proxy: the forwarded address)")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  cli.add_option("--max-sockets-per-user", options.max_sockets_per_user,
                 "Authenticated realtime connections of one account; past it: CONNECT_ERROR and close 1013")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  cli.add_option("--auth-timeout", options.auth_timeout_ms, "A realtime connection must authenticate within this, ms")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  cli.add_option("--http-header-timeout", options.http_header_timeout_ms,
                 "An HTTP request's headers must arrive within this, ms")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  cli.add_option("--max-universes-per-user", options.max_universes_per_user,
                 "Universes one account may own; past it creating or importing answers 403 quota_exceeded")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  cli.add_option("--universe-creations-per-minute", options.universe_creations_per_minute,
                 "Universes one account may create or import per minute; past it 429 with Retry-After")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  cli.add_option("--api-rate-limit", options.api_rate_limit,
                 "Authenticated API requests per second per account, counted over 10 s; past it 429 with Retry-After")
      ->check(CLI::PositiveNumber)->group(limits)->capture_default_str();
  auto* retention = "Retention";
  cli.add_option("--history-keep", options.history_keep,
                 "History entries kept per universe, newest first (current parameters are kept apart, always)")
      ->check(CLI::PositiveNumber)->group(retention)->capture_default_str();
  cli.add_option("--chat-keep", options.chat_keep, "Chat messages kept per universe, newest first")
      ->check(CLI::PositiveNumber)->group(retention)->capture_default_str();
  cli.add_option("--token-ttl", options.token_ttl_s, "How long a sign-in token is valid, seconds (sockets close when it expires)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cli.add_option("--node-id", options.node_id,
                 "This node's id, the prefix of every Engine.IO session id, so a load balancer can keep a polling "
                 "session on one node (letters, digits, - and _; default: from --host and --port)")
      ->check(CLI::Validator(
          [](const std::string& value) {
            return harmonic::net::valid_node_id(value) ? std::string{} : std::string("1 to 64 letters, digits, - or _");
          },
          "NODE_ID"));
  cli.add_option("--cors-origin", options.cors_origins,
                 "An origin (scheme://host[:port]) whose web pages may call the REST API and open realtime "
                 "sessions from a browser (repeatable; default: the server's own origin only)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(CLI::Validator(
          [](const std::string& value) {
            return harmonic::net::normalize_origin(value) ? std::string{} : std::string("not an origin like https://example.com");
          },
          "ORIGIN"));
  {  // TLS without a proxy (docs/operations.md, "TLS").
    auto* tls = "TLS";
    auto* cert = cli.add_option("--tls-cert", options.tls_cert,
                                "PEM certificate chain: the server then speaks HTTPS and WSS only (SIGHUP reloads it)")
                     ->check(CLI::ExistingFile)->group(tls);
    auto* key = cli.add_option("--tls-key", options.tls_key, "PEM private key of --tls-cert")
                    ->check(CLI::ExistingFile)->group(tls);
    cert->needs(key);
    key->needs(cert);
    cli.add_option("--redirect-http", options.redirect_http_port,
                   "Also listen for plain HTTP on this port and answer every request 301 to HTTPS (0 picks a free port)")
        ->check(CLI::Range(0, 65535))->needs(cert)->group(tls);
  }
  // From the environment too, so the token need not show in the process list.
  cli.add_option("--metrics-token", options.metrics_token,
                 "Bearer token that GET /metrics then requires (default: $HARMONIC_METRICS_TOKEN; unset: open)")
      ->envname("HARMONIC_METRICS_TOKEN");
}

std::variant<ServerOptions, int> parse_options(int argc, char** argv) {
  ServerOptions options;
  CLI::App cli{"harmonic-server: the Harmonic Universe HTTP, REST and realtime (Socket.IO) server"};
  define_server_options(cli, options);
  // CLI11 reads the file after the command line and sets only options the command line
  // left unset, so the command line wins; a key that names no option is an error.
  cli.set_config("--config", "", "TOML file of options: long option names without --, e.g. port = 8080 "
                 "(docs/operations.md, \"Config file\"); the command line overrides it");
  cli.allow_config_extras(CLI::config_extras_mode::error);
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  return options;
}

}  // namespace harmonic::app
