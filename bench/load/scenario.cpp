#include "load/scenario.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iostream>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <unistd.h>

#include "load/clock.hpp"
#include "load/histogram.hpp"
#include "load/process_stats.hpp"
#include "load/rest_setup.hpp"
#include "load/socketio_client.hpp"

namespace harmonic::bench {

namespace asio = boost::asio;
using json = nlohmann::json;

namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
// parameter:update carries its slot as particle_count (1..slots): the server validates
// and echoes only applied values, and an integer in range comes back exactly.
constexpr std::size_t slots = 4096;
constexpr std::size_t max_queued_cursor_bytes = 64 * 1024;
constexpr std::int64_t stall_us = 3'000'000;

std::optional<std::int64_t> integer_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* first = text.data() + at + key.size();
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(first, text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  return value;
}

double ms(std::uint64_t micros) { return static_cast<double>(micros) / 1000.0; }

struct Universe {
  std::string id;
  std::vector<std::size_t> members;
  std::uint32_t live_members = 0;         // members whose join completed
  std::size_t editor = none;
  std::uint64_t counter = 0;              // updates sent since the start
  std::uint64_t sent_in_phase = 0;
  std::vector<std::int64_t> send_us = std::vector<std::int64_t>(slots, 0);
  std::vector<std::uint32_t> receipts = std::vector<std::uint32_t>(slots, 0);
  std::uint32_t outstanding = 0;          // max phase: sent, not yet received by every member
  std::int64_t last_progress_us = 0;
};

struct Client {
  std::unique_ptr<SocketIoClient> socket;
  std::string token;
  std::size_t universe = none;
  std::uint64_t received = 0;      // benchmarked events this phase
  std::uint64_t cursors_sent = 0;  // this phase
  std::unique_ptr<asio::steady_timer> timer;
  std::int64_t next_send_us = 0;
};

class Run final : public ClientObserver {
 public:
  explicit Run(const ScenarioConfig& config) : config_(config) {}
  json execute();

  void on_ready(SocketIoClient& client) override;
  void on_hot_event(SocketIoClient& client, HotEvent event, std::string_view packet) override;
  void on_server_error(SocketIoClient& client, const std::string& name, const json& payload) override;
  void on_failed(SocketIoClient& client, const std::string& why) override;

 private:
  void setup();
  json connect_all();
  json run_phase(bool max_mode);
  json idle_hold();
  void start_next_connection();
  void schedule_editor(std::size_t universe);
  void schedule_cursor(std::size_t client);
  void send_update(std::size_t universe);
  void refill(std::size_t universe);
  void check_stalls();
  std::pair<std::uint64_t, std::uint64_t> expected_and_received() const;
  template <class Done>
  void run_until(Done done, double timeout_s);
  void sample_server();
  void note_error(const std::string& text);

  const ScenarioConfig& config_;
  asio::io_context io_{1};
  asio::ip::tcp::endpoint server_;
  std::vector<BenchUser> users_;
  std::vector<Universe> universes_;
  std::vector<Client> clients_;
  std::mt19937 random_{12345};

  // connection ramp
  std::size_t next_to_start_ = 0;
  std::size_t settled_ = 0;
  std::size_t connect_failures_ = 0;
  bool ramping_ = true;

  // load
  bool sending_ = false;
  bool max_mode_ = false;
  std::size_t window_ = 0;  // max phase: updates each editor keeps in flight
  bool measuring_ = false;
  std::uint64_t delivered_in_window_ = 0;
  std::uint64_t cursors_skipped_ = 0;
  std::uint64_t stalls_ = 0;
  std::uint64_t server_errors_ = 0;
  std::uint64_t failures_after_ramp_ = 0;
  LatencyHistogram latency_;
  std::vector<std::string> first_errors_;
  // --trace: the worst latency of every 100 ms on stderr, to see when delays happen
  std::int64_t trace_max_us_ = 0;
  std::uint64_t trace_count_ = 0;
  std::int64_t trace_last_us_ = 0;

  // server samples
  long rss_peak_kb_ = 0;
  std::int64_t last_sample_us_ = 0;
};

void Run::note_error(const std::string& text) {
  if (first_errors_.size() < 8) first_errors_.push_back(text);
}

template <class Done>
void Run::run_until(Done done, double timeout_s) {
  const auto deadline = now_us() + static_cast<std::int64_t>(timeout_s * 1e6);
  while (!done() && now_us() < deadline) {
    io_.run_for(std::chrono::milliseconds(20));
    if (io_.stopped()) io_.restart();
    if (max_mode_ && sending_) check_stalls();
    sample_server();
    if (config_.trace && now_us() - trace_last_us_ >= 100'000) {
      trace_last_us_ = now_us();
      std::cerr << "trace t=" << trace_last_us_ / 1000 << "ms received=" << trace_count_
                << " worst=" << static_cast<double>(trace_max_us_) / 1000.0 << "ms\n";
      trace_max_us_ = 0;
      trace_count_ = 0;
    }
  }
}

void Run::sample_server() {
  if (config_.server_pid == 0) return;
  const auto now = now_us();
  if (now - last_sample_us_ < 200'000) return;
  last_sample_us_ = now;
  if (const auto sample = sample_process(config_.server_pid)) rss_peak_kb_ = std::max(rss_peak_kb_, sample->rss_kb);
}

void Run::setup() {
  server_ = {asio::ip::make_address(config_.host), config_.port};
  RestSetup rest(config_.host, config_.port);
  const auto prefix = "bench" + std::to_string(getpid() % 100000);
  users_ = rest.register_users(prefix, std::max<std::size_t>(1, config_.users));
  const auto user_count = users_.size();

  clients_.resize(config_.clients);
  if (config_.kind == ScenarioKind::idle) {
    for (std::size_t i = 0; i < clients_.size(); ++i) clients_[i].token = users_[i % user_count].token;
    return;
  }
  const auto universe_count = config_.kind == ScenarioKind::rooms ? std::max<std::size_t>(1, config_.universes) : 1;
  const auto per_universe = std::max<std::size_t>(1, clients_.size() / universe_count);
  universes_.resize(universe_count);
  for (std::size_t u = 0; u < universe_count; ++u) {
    const auto& owner = users_[u % user_count];
    universes_[u].id = rest.create_universe(owner, "bench universe " + std::to_string(u));
  }
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    const auto u = std::min(i / per_universe, universe_count - 1);
    const auto j = i - u * per_universe;  // place within the universe; 0 is its editor
    auto& universe = universes_[u];
    clients_[i].universe = u;
    clients_[i].token = users_[(u + j) % user_count].token;  // j == 0: the owner
    universe.members.push_back(i);
    if (j == 0 && config_.kind != ScenarioKind::cursors) universe.editor = i;
  }
}

void Run::start_next_connection() {
  if (next_to_start_ >= clients_.size()) return;
  const auto i = next_to_start_++;
  auto& client = clients_[i];
  client.socket = make_client(config_.transport, io_, *this, i);
  const auto universe_id = client.universe == none ? std::string() : universes_[client.universe].id;
  client.socket->start(server_, client.token, universe_id);
}

void Run::on_ready(SocketIoClient&) {
  if (!ramping_) return;
  ++settled_;
  start_next_connection();
}

void Run::on_failed(SocketIoClient& client, const std::string& why) {
  if (ramping_ && !client.ready()) {
    ++settled_;
    ++connect_failures_;
    note_error("client " + std::to_string(client.index()) + ": " + why);
    start_next_connection();
    return;
  }
  ++failures_after_ramp_;
  note_error("client " + std::to_string(client.index()) + " (after connect): " + why);
}

void Run::on_server_error(SocketIoClient& client, const std::string& name, const json& payload) {
  ++server_errors_;
  note_error("client " + std::to_string(client.index()) + " got " + name + ": " + payload.dump().substr(0, 200));
}

json Run::connect_all() {
  const auto started = now_us();
  for (std::size_t i = 0; i < std::min(config_.connect_concurrency, clients_.size()); ++i) start_next_connection();
  run_until([&] { return settled_ >= clients_.size(); }, config_.connect_timeout_s);
  ramping_ = false;
  for (auto& universe : universes_) {
    for (const auto i : universe.members) universe.live_members += clients_[i].socket && clients_[i].socket->ready();
  }
  const auto ramp_s = static_cast<double>(now_us() - started) / 1e6;

  LatencyHistogram connect_time;
  std::size_t connected = 0;
  for (const auto& client : clients_) {
    if (client.socket && client.socket->ready()) {
      ++connected;
      connect_time.record(client.socket->ready_us() - client.socket->started_us());
    }
  }
  return {{"connected", connected},
          {"failed", connect_failures_},
          {"not_settled", clients_.size() - settled_},
          {"ramp_s", ramp_s},
          {"connections_per_s", ramp_s > 0 ? static_cast<double>(connected) / ramp_s : 0.0},
          {"p50_ms", ms(connect_time.quantile(0.5))},
          {"p99_ms", ms(connect_time.quantile(0.99))},
          {"max_ms", ms(connect_time.max())}};
}

// --- sending --------------------------------------------------------------------------

void Run::send_update(std::size_t u) {
  auto& universe = universes_[u];
  auto& editor = clients_[universe.editor];
  if (!editor.socket || editor.socket->failed()) return;
  const auto slot = universe.counter % slots;
  universe.send_us[slot] = now_us();
  universe.receipts[slot] = 0;
  ++universe.counter;
  ++universe.sent_in_phase;
  ++universe.outstanding;
  editor.socket->emit("parameter:update", {{"universe_id", universe.id},
                                           {"category", "physics"},
                                           {"parameters", {{"particle_count", slot + 1}}}});
}

void Run::refill(std::size_t u) {
  auto& universe = universes_[u];
  while (sending_ && universe.outstanding < window_) {
    const auto before = universe.counter;
    send_update(u);
    if (universe.counter == before) return;  // the editor is gone
  }
}

void Run::check_stalls() {
  const auto now = now_us();
  for (std::size_t u = 0; u < universes_.size(); ++u) {
    auto& universe = universes_[u];
    if (universe.outstanding > 0 && now - universe.last_progress_us > stall_us) {
      ++stalls_;
      universe.outstanding = 0;  // give up on the window: something was lost
      universe.last_progress_us = now;
      refill(u);
    }
  }
}

void Run::schedule_editor(std::size_t u) {
  auto& editor = clients_[universes_[u].editor];
  const auto period = static_cast<std::int64_t>(1e6 / config_.rate);
  editor.timer->expires_after(std::chrono::microseconds(std::max<std::int64_t>(0, editor.next_send_us - now_us())));
  editor.timer->async_wait([this, u, period](const boost::system::error_code& ec) {
    if (ec || !sending_) return;
    send_update(u);
    clients_[universes_[u].editor].next_send_us += period;
    schedule_editor(u);
  });
}

void Run::schedule_cursor(std::size_t i) {
  auto& client = clients_[i];
  const auto period = static_cast<std::int64_t>(1e6 / config_.rate);
  client.timer->expires_after(std::chrono::microseconds(std::max<std::int64_t>(0, client.next_send_us - now_us())));
  client.timer->async_wait([this, i, period](const boost::system::error_code& ec) {
    if (ec || !sending_) return;
    auto& c = clients_[i];
    if (c.socket->failed()) return;
    // A server that stops reading gets no more from this client than the socket holds.
    if (c.socket->queued_bytes() > max_queued_cursor_bytes) {
      ++cursors_skipped_;
    } else {
      ++c.cursors_sent;
      c.socket->emit("collaboration:cursor",
                     {{"universe_id", universes_[c.universe].id},
                      {"position", {{"x", now_us()}, {"y", static_cast<std::int64_t>(i)}}}});
    }
    c.next_send_us += period;
    schedule_cursor(i);
  });
}

// --- receiving ------------------------------------------------------------------------

void Run::on_hot_event(SocketIoClient& socket, HotEvent event, std::string_view packet) {
  auto& client = clients_[socket.index()];
  if (client.universe == none) return;
  auto& universe = universes_[client.universe];
  const auto now = now_us();
  std::int64_t sent_at = 0;
  if (event == HotEvent::parameter_updated) {
    const auto value = integer_after(packet, "\"particle_count\":");
    if (!value || *value < 1 || static_cast<std::size_t>(*value) > slots) return;
    const auto slot = static_cast<std::size_t>(*value - 1);
    sent_at = universe.send_us[slot];
    if (++universe.receipts[slot] == universe.live_members && max_mode_) {
      if (universe.outstanding > 0) --universe.outstanding;
      universe.last_progress_us = now;
      refill(client.universe);
    }
  } else {
    const auto value = integer_after(packet, "\"x\":");
    if (!value) return;
    sent_at = *value;
  }
  ++client.received;
  if (config_.trace) {
    trace_max_us_ = std::max(trace_max_us_, now - sent_at);
    ++trace_count_;
  }
  if (measuring_) {
    ++delivered_in_window_;
    latency_.record(now - sent_at);
  }
}

std::pair<std::uint64_t, std::uint64_t> Run::expected_and_received() const {
  std::uint64_t expected = 0, received = 0, cursors_total = 0;
  for (const auto& client : clients_) cursors_total += client.cursors_sent;
  for (const auto& client : clients_) {
    if (client.universe == none || !client.socket || !client.socket->ready()) continue;
    const auto want = config_.kind == ScenarioKind::cursors ? cursors_total - client.cursors_sent
                                                             : universes_[client.universe].sent_in_phase;
    expected += want;
    received += std::min(want, client.received);
  }
  return {expected, received};
}

// --- phases ---------------------------------------------------------------------------

json Run::run_phase(bool max_mode) {
  for (auto& client : clients_) client.received = client.cursors_sent = 0;
  for (auto& universe : universes_) {
    universe.sent_in_phase = 0;
    universe.outstanding = 0;
    universe.last_progress_us = now_us();
    std::fill(universe.receipts.begin(), universe.receipts.end(), 0);
  }
  latency_ = {};
  delivered_in_window_ = 0;
  cursors_skipped_ = 0;
  stalls_ = 0;
  server_errors_ = 0;
  failures_after_ramp_ = 0;
  rss_peak_kb_ = 0;
  max_mode_ = max_mode;
  sending_ = true;

  const auto start = now_us();
  std::uniform_int_distribution<std::int64_t> phase_offset(0, static_cast<std::int64_t>(1e6 / config_.rate));
  if (config_.kind == ScenarioKind::cursors) {
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      if (!clients_[i].socket || !clients_[i].socket->ready()) continue;
      clients_[i].timer = std::make_unique<asio::steady_timer>(io_);
      clients_[i].next_send_us = start + phase_offset(random_);
      schedule_cursor(i);
    }
  } else {
    for (std::size_t u = 0; u < universes_.size(); ++u) {
      auto& editor = clients_[universes_[u].editor];
      if (!editor.socket || !editor.socket->ready()) continue;
      if (max_mode) {
        refill(u);
      } else {
        editor.timer = std::make_unique<asio::steady_timer>(io_);
        editor.next_send_us = start + phase_offset(random_);
        schedule_editor(u);
      }
    }
  }

  run_until([] { return false; }, config_.warmup_s);
  const auto server_before = config_.server_pid ? sample_process(config_.server_pid) : std::nullopt;
  const auto own_before = own_cpu_seconds();
  const auto window_start = now_us();
  if (config_.trace) std::cerr << "measuring " << (max_mode ? "max" : "fixed") << std::endl;
  measuring_ = true;
  run_until([] { return false; }, config_.measure_s);
  measuring_ = false;
  const auto window_s = static_cast<double>(now_us() - window_start) / 1e6;
  const auto own_after = own_cpu_seconds();
  const auto server_after = config_.server_pid ? sample_process(config_.server_pid) : std::nullopt;

  sending_ = false;
  for (auto& client : clients_) {
    if (client.timer) client.timer->cancel();
  }
  std::uint64_t sent = 0;
  for (const auto& universe : universes_) sent += universe.sent_in_phase;
  for (const auto& client : clients_) sent += client.cursors_sent;
  const auto drain_started = now_us();
  run_until([&] { const auto [want, got] = expected_and_received(); return got >= want; }, config_.drain_s);
  const auto drain_s = static_cast<double>(now_us() - drain_started) / 1e6;
  const auto [expected, received] = expected_and_received();

  json result = {
      {"phase", max_mode ? "max" : "fixed"},
      {"sent", sent},
      {"window_s", window_s},
      {"delivered_in_window", delivered_in_window_},
      {"delivered_per_s", static_cast<double>(delivered_in_window_) / window_s},
      {"expected", expected},
      {"received", received},
      {"lost", expected - received},
      {"drain_s", drain_s},
      {"latency_ms",
       {{"samples", latency_.count()},
        {"p50", ms(latency_.quantile(0.5))},
        {"p99", ms(latency_.quantile(0.99))},
        {"p999", ms(latency_.quantile(0.999))},
        {"max", ms(latency_.max())}}},
      {"loadgen_cpu_util", (own_after - own_before) / window_s},
      {"cursors_skipped", cursors_skipped_},
      {"stalls", stalls_},
      {"server_errors", server_errors_},
      {"disconnects", failures_after_ramp_},
  };
  if (max_mode) result["window_per_editor"] = window_;
  else result["rate_per_sender"] = config_.rate;
  if (server_before && server_after) {
    const auto server_cpu_s = server_after->cpu_s - server_before->cpu_s;
    result["server_cpu_util"] = server_cpu_s / window_s;
    // Share of the window the server was ready to run but had no CPU: other load.
    result["server_cpu_wait"] = (server_after->wait_s - server_before->wait_s) / window_s;
    result["server_cpu_us_per_message"] =
        delivered_in_window_ ? server_cpu_s * 1e6 / static_cast<double>(delivered_in_window_) : 0.0;
    result["server_rss_peak_kb"] = rss_peak_kb_;
  }
  run_until([] { return false; }, 0.5);  // let stragglers pass before the next phase
  return result;
}

json Run::execute() {
  setup();
  run_until([] { return false; }, 0.3);
  const auto base = config_.server_pid ? sample_process(config_.server_pid) : std::nullopt;
  json result = {{"label", config_.label},
                 {"transport", config_.transport == Transport::polling ? "polling" : "websocket"},
                 {"clients", clients_.size()},
                 {"universes", universes_.size()},
                 {"users", users_.size()}};
  switch (config_.kind) {
    case ScenarioKind::fanout: result["scenario"] = "fanout"; break;
    case ScenarioKind::cursors: result["scenario"] = "cursors"; break;
    case ScenarioKind::rooms: result["scenario"] = "rooms"; break;
    case ScenarioKind::idle: result["scenario"] = "idle"; break;
  }
  result["connect"] = connect_all();
  // Let the join storm's broadcasts drain before measuring memory or latency.
  run_until([] { return false; }, config_.kind == ScenarioKind::idle ? config_.idle_hold_s : 1.5);
  std::size_t alive = 0;
  for (const auto& client : clients_) alive += client.socket && client.socket->ready() && !client.socket->failed();
  result["alive_after_hold"] = alive;
  if (base) {
    const auto connected = sample_process(config_.server_pid);
    result["server"] = {{"rss_base_kb", base->rss_kb}, {"threads", connected ? connected->threads : 0}};
    if (connected) {
      result["server"]["rss_connected_kb"] = connected->rss_kb;
      result["server"]["rss_per_connection_bytes"] =
          alive ? static_cast<double>(connected->rss_kb - base->rss_kb) * 1024.0 / static_cast<double>(alive) : 0.0;
    }
  }
  if (config_.kind != ScenarioKind::idle) {
    result["phases"] = json::array();
    result["phases"].push_back(run_phase(false));
    if (config_.max_phase && config_.kind != ScenarioKind::cursors) {
      for (const auto window : config_.windows) {
        window_ = window;
        result["phases"].push_back(run_phase(true));
      }
    }
  }
  if (base) {
    if (const auto end = sample_process(config_.server_pid)) result["server"]["rss_end_kb"] = end->rss_kb;
  }
  result["first_errors"] = first_errors_;
  for (auto& client : clients_) {
    if (client.socket) client.socket->close();
  }
  return result;
}

}  // namespace

json run_scenario(const ScenarioConfig& config) {
  Run run(config);
  return run.execute();
}

}  // namespace harmonic::bench
