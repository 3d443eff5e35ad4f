// The four benchmark scenarios, each driven against one server by one thread:
//   fanout   one universe, every client receives every parameter:update of one editor
//   cursors  one universe, every client sends collaboration:cursor at a fixed rate
//   rooms    many universes of a few clients, one editor each
//   idle     authenticated connections that only answer pings; memory per connection
// Every scenario runs over WebSocket (the default) or over HTTP long-polling only
// (--transport polling: the polling rows of bench/run).
// A scenario runs a fixed-rate phase (the rates; latency is read here) and, for
// fanout and rooms, a "max" phase in which each editor keeps a window of updates in
// flight, so the delivered rate is the server's capacity rather than the offered load.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sys/types.h>

#include "load/socketio_client.hpp"

namespace harmonic::bench {

enum class ScenarioKind { fanout, cursors, rooms, idle };

struct ScenarioConfig {
  ScenarioKind kind = ScenarioKind::fanout;
  Transport transport = Transport::websocket;
  std::string label;                 // which server this is, copied to the report
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  pid_t server_pid = 0;              // for RSS and CPU from /proc; 0 = not sampled
  std::size_t clients = 1000;
  std::size_t universes = 1;
  std::size_t users = 50;            // registered users; connections share their tokens
  double rate = 50;                  // updates/s per editor, or cursors/s per client
  bool max_phase = true;             // fanout and rooms: also measure capacity
  std::vector<std::size_t> windows{16};  // max phases: updates in flight per editor, one phase each
  double warmup_s = 3;
  double measure_s = 15;
  double drain_s = 10;
  double idle_hold_s = 5;
  std::size_t connect_concurrency = 256;
  double connect_timeout_s = 180;
  bool trace = false;                // worst latency per 100 ms on stderr
};

// Runs one scenario; the result is one JSON object (see bench/README.md for the fields).
nlohmann::json run_scenario(const ScenarioConfig& config);

}  // namespace harmonic::bench
