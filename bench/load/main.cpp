// harmonic-load: drives one benchmark scenario against one Socket.IO server and prints
// the result as one JSON object on stdout. bench/run calls it for both servers.
#include <iostream>

#include <CLI/CLI.hpp>
#include <sys/resource.h>

#include "load/scenario.hpp"

int main(int argc, char** argv) {
  using harmonic::bench::ScenarioKind;
  harmonic::bench::ScenarioConfig config;
  std::string scenario = "fanout";
  std::string transport = "websocket";
  int pid = 0;
  CLI::App cli{"harmonic-load: Socket.IO load generator for the Harmonic Universe benchmark"};
  cli.add_option("--scenario", scenario, "fanout, cursors, rooms or idle")
      ->check(CLI::IsMember({"fanout", "cursors", "rooms", "idle"}))->capture_default_str();
  cli.add_option("--transport", transport, "Engine.IO transport of every client: websocket or polling (no upgrade)")
      ->check(CLI::IsMember({"websocket", "polling"}))->capture_default_str();
  cli.add_option("--label", config.label, "Name of the server under test, copied to the output");
  cli.add_option("--host", config.host)->capture_default_str();
  cli.add_option("--port", config.port)->required();
  cli.add_option("--server-pid", pid, "Server process, for RSS and CPU from /proc");
  cli.add_option("--clients", config.clients)->capture_default_str();
  cli.add_option("--universes", config.universes, "rooms: number of universes")->capture_default_str();
  cli.add_option("--users", config.users, "Registered users the connections share")->capture_default_str();
  cli.add_option("--rate", config.rate, "Updates/s per editor, or cursors/s per client")->capture_default_str();
  cli.add_option("--window", config.windows,
                 "Max phase: updates in flight per editor; a list (4,16) runs one max phase per value")
      ->delimiter(',')
      ->capture_default_str();
  cli.add_flag("!--no-max", config.max_phase, "Skip the capacity (max) phase");
  cli.add_option("--warmup", config.warmup_s, "Seconds before measuring, per phase")->capture_default_str();
  cli.add_option("--duration", config.measure_s, "Measured seconds, per phase")->capture_default_str();
  cli.add_option("--drain", config.drain_s, "Longest wait for in-flight messages")->capture_default_str();
  cli.add_option("--idle-hold", config.idle_hold_s, "Seconds connections are held before memory is read")
      ->capture_default_str();
  cli.add_option("--connect-concurrency", config.connect_concurrency)->capture_default_str();
  cli.add_option("--connect-timeout", config.connect_timeout_s)->capture_default_str();
  cli.add_flag("--trace", config.trace, "Print the worst latency of every 100 ms to stderr");
  CLI11_PARSE(cli, argc, argv);
  config.server_pid = pid;
  config.transport = transport == "polling" ? harmonic::bench::Transport::polling : harmonic::bench::Transport::websocket;
  config.kind = scenario == "cursors" ? ScenarioKind::cursors
                : scenario == "rooms" ? ScenarioKind::rooms
                : scenario == "idle"  ? ScenarioKind::idle
                                      : ScenarioKind::fanout;

  // Thousands of sockets: take every descriptor the hard limit allows.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  try {
    std::cout << harmonic::bench::run_scenario(config).dump() << std::endl;
  } catch (const std::exception& error) {
    std::cerr << "harmonic-load: " << error.what() << std::endl;
    return 1;
  }
  return 0;
}
