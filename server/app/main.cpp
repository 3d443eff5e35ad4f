// harmonic-server: composes the layers (storage, auth, core, REST, network) and runs.
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

#include <sys/stat.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include "app/data_dir_lock.hpp"
#include "app/log_format.hpp"
#include "app/open_cluster.hpp"
#include "app/open_store.hpp"
#include "app/options.hpp"
#include "app/secret.hpp"
#include "app/subcommands.hpp"
#include "app/web_root.hpp"
#include "auth/tokens.hpp"
#include "core/clock.hpp"
#include "core/group_commit.hpp"
#include "core/realtime_hub.hpp"
#include "core/room_delivery.hpp"
#include "http/rest_api.hpp"
#include "net/connection_registry.hpp"
#include "net/server.hpp"
#include "net/session_id.hpp"
#include "net/tls_certificates.hpp"
#include "storage/file_permissions.hpp"

using namespace harmonic;

int main(int argc, char** argv) {
  if (auto exit_code = app::run_subcommand(argc, argv)) return *exit_code;  // backup, restore, admin
  auto parsed = app::parse_options(argc, argv);
  if (auto* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const auto& options = std::get<app::ServerOptions>(parsed);

  app::configure_logging(options.log_format, options.log_level);

  // Whatever this process creates is readable by its own user only: the data directory
  // holds password hashes and the token-signing secret (storage/file_permissions.hpp).
  ::umask(077);
  try {
    // SQLite: the data dir is private, and held (shared) while the server runs, so
    // `harmonic-server restore` refuses to replace its database.
    const bool sqlite = options.postgres.empty();
    const auto data_dir_lock = [&]() -> std::optional<app::DataDirLock> {
      if (!sqlite) return std::nullopt;
      if (auto change = storage::make_private_directory(options.data_dir)) {
        spdlog::warn("data dir was readable by other users; tightened {}", *change);
      }
      return app::DataDirLock::try_acquire(options.data_dir, app::DataDirLock::Mode::shared);
    }();
    if (sqlite && !data_dir_lock) {
      spdlog::critical("a restore is running on {}; start the server after it", options.data_dir);
      return EXIT_FAILURE;
    }
    const std::unique_ptr<storage::Store> opened = app::open_store(options);
    storage::Store& store = *opened;

    const auth::TokenService tokens(app::resolve_jwt_secret(options.jwt_secret, store),
                                    std::chrono::seconds(options.token_ttl_s));
    core::SystemClock clock;
    core::Metrics metrics;
    // Before the io_context: sessions still queued in it when it is destroyed give their
    // slots back to it.
    net::ConnectionCaps caps(options.max_connections, options.max_connections_per_ip);
    boost::asio::io_context io{1};
    net::ConnectionRegistry registry;
    // PostgreSQL: COMMITs on a connection thread, completions back on this loop.
    const app::CommitsOffTheLoop commits_off_the_loop(
        store, [&io](std::function<void()> job) { boost::asio::post(io, std::move(job)); });
    core::GroupCommit writes(store, registry);
    core::LocalRoomDelivery delivery(writes);
    core::HubOptions hub_options;
    hub_options.event_rate = options.rate_limit;
    hub_options.event_burst = options.rate_burst;
    hub_options.cursor_rate = options.cursor_rate;
    hub_options.cursor_burst = options.cursor_burst;
    hub_options.auth_timeout_ms = options.auth_timeout_ms;
    hub_options.max_sockets_per_user = options.max_sockets_per_user;
    hub_options.shared_store = !options.postgres.empty();
    core::RealtimeHub hub(store, tokens, writes, delivery, clock, metrics, hub_options);
    // Group commit: the first change of a turn posts the commit behind every completion
    // already queued, so all packets read in that turn share it.
    hub.set_turn_scheduler([&io, &hub] { boost::asio::post(io, [&hub] { hub.finish_turn(); }); });

    // Set once the server listens (the link needs the node id); /healthz asks it.
    std::unique_ptr<core::ClusterLink> cluster;
    http::RestOptions rest_options;
    rest_options.fanout_down = [&cluster] { return cluster && !cluster->connected(); };
    rest_options.web_root = app::resolve_web_root(options.web_root, argv[0]);
    rest_options.registrations_per_address = {options.registrations_per_hour, 3'600'000};
    rest_options.metrics_token = options.metrics_token;
    rest_options.universe_limits = {options.max_universes_per_user, options.universe_creations_per_minute};
    rest_options.api_requests_per_account = {
        static_cast<int>(options.api_rate_limit * (http::api_request_window_ms / 1000)), http::api_request_window_ms};
    // Workers for slow pure work (password hashing, audio export), so the I/O thread
    // that serves every realtime connection never waits on them.
    constexpr std::size_t worker_threads = 2;
    rest_options.password_work_limit = http::password_work_limit_for(worker_threads);
    http::RestApi rest(store, tokens, hub, metrics, rest_options);

    boost::asio::thread_pool workers{worker_threads};
    // The core stays on one thread; the send() calls of large batches of writes go to a
    // helper on another core (see parallel_sender.hpp and write_flusher.hpp).
    const int send_threads =
        options.send_threads >= 0 ? options.send_threads : (std::thread::hardware_concurrency() > 1 ? 1 : 0);
    net::ParallelSender sender(send_threads);
    net::WriteFlusher flusher(io.get_executor(), sender);
    net::ServerContext context{hub,     registry, metrics, [&rest](const http::ApiRequest& request) { return rest.handle(request); },
                               workers, flusher,  caps,    {},      false,    {},
                               {},      {},      {}};
    context.limits.ping_interval_ms = options.ping_interval_ms;
    context.limits.ping_timeout_ms = options.ping_timeout_ms;
    context.limits.max_payload = options.max_payload;
    context.limits.http_header_timeout_ms = options.http_header_timeout_ms;
    context.trusted_proxies = net::parse_trusted_proxies(options.trusted_proxies);
    context.origins = net::OriginPolicy(options.cors_origins);

    net::Server server(io, context);
    // TLS without a proxy (docs/operations.md, "TLS").
    const bool tls = !options.tls_cert.empty();
    if (tls) server.enable_tls(std::make_shared<net::TlsCertificates>(options.tls_cert, options.tls_key));
    const auto port = server.listen(options.host, options.port);
    if (options.redirect_http_port >= 0) {
      const auto redirect_port = server.listen_redirect(options.host, static_cast<unsigned short>(options.redirect_http_port));
      std::cout << "harmonic-server redirecting http://" << options.host << ":" << redirect_port << " to https" << std::endl;
    }
    context.node_id = options.node_id.empty() ? net::default_node_id(options.host, port) : options.node_id;
    cluster = app::open_cluster(options, io, hub, context.node_id);
    spdlog::info("data in {}, web client from {}", options.postgres.empty() ? options.data_dir : "PostgreSQL",
                 rest_options.web_root.empty() ? "(none)" : rest_options.web_root.string());
    // Tests and scripts wait for this exact line on stdout (with --log-format json, as the
    // message of a JSON line: every line of output is JSON then).
    const auto listening = std::string("harmonic-server listening on ") + (tls ? "https" : "http") + "://" + options.host + ":" + std::to_string(port);
    if (options.log_format == app::kLogFormatJson) {
      spdlog::info(listening);
      spdlog::default_logger()->flush();
    } else {
      std::cout << listening << std::endl;
    }
    server.run();
    // A turn whose commit was posted but not run when the loop stopped: store it rather
    // than let the store's close roll it back (nobody was told of it either way).
    hub.finish_turn();
    workers.join();
    return EXIT_SUCCESS;
  } catch (const std::exception& error) {
    spdlog::critical("harmonic-server failed: {}", error.what());
    return EXIT_FAILURE;
  }
}
