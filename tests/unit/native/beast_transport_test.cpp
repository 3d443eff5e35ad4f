// The desktop's network layer (native/: Beast WebSocket transport, HTTP client, the
// network thread and its UI queue) against the real harmonic-server, started as a
// child process: connect and exchange Socket.IO events, a refused token
// (CONNECT_ERROR), nothing after close(), a port with no server (1006), and
// reconnection after the server restarts on the same port.
//
// The server binary is $HARMONIC_SERVER, else <build>/server/harmonic-server next to
// this test's build directory. Without it the tests fail (never skip silently).
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "client/session.hpp"
#include "native/beast_http_client.hpp"
#include "native/beast_websocket_transport.hpp"
#include "native/io_thread.hpp"
#include "native/url.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace harmonic;

namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

fs::path server_binary() {
  if (const char* env = std::getenv("HARMONIC_SERVER"); env && *env) return env;
  // tests/unit_native lives in <build>/tests; the server in <build>/server.
  const fs::path self = fs::read_symlink("/proc/self/exe");
  return self.parent_path().parent_path() / "server" / "harmonic-server";
}

// A harmonic-server child process on 127.0.0.1 with a private data dir.
class ServerProcess {
 public:
  ServerProcess() : data_dir_(fs::temp_directory_path() / ("harmonic-native-test-" + std::to_string(::getpid()))) {
    fs::create_directories(data_dir_ / "data");
    fs::create_directories(data_dir_ / "web");
  }
  ~ServerProcess() {
    stop(SIGKILL);
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
  }

  // Starts on `port` (0: any) and returns the port it listens on.
  int start(int port = 0) {
    const fs::path binary = server_binary();
    REQUIRE(fs::exists(binary));
    const std::string log = (data_dir_ / "server.log").string();
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      const std::string port_text = std::to_string(port), data = (data_dir_ / "data").string(),
                        web = (data_dir_ / "web").string();
      ::execl(binary.c_str(), binary.c_str(), "--host", "127.0.0.1", "--port", port_text.c_str(), "--data-dir",
              data.c_str(), "--web-root", web.c_str(), "--jwt-secret", "native-transport-test-secret-0123456789",
              "--log-level", "warn", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    const double deadline = now_ms() + 15000;
    while (now_ms() < deadline) {
      std::ifstream in(log);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::smatch m;
      if (std::regex_search(text, m, listening)) {
        port_ = std::stoi(m[1]);
        return port_;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL("harmonic-server exited: " << text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("harmonic-server did not start");
    return 0;
  }

  void stop(int signal = SIGTERM) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  fs::path data_dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A port nobody listens on: bound by the kernel's choice, then released.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// Runs the UI side (queue drain + session timers) until `done` or the timeout.
template <class Done>
bool pump(native::IoThread& io, client::Session* session, Done done, double timeout_ms = 10000) {
  const double deadline = now_ms() + timeout_ms;
  while (now_ms() < deadline) {
    io.ui().drain();
    if (session) session->update(now_ms());
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::string register_user(native::IoThread& io, native::BeastHttpClient& http, const std::string& origin,
                          const std::string& name) {
  std::optional<client::HttpResponse> response;
  client::HttpRequest request;
  request.method = "POST";
  request.url = origin + "/api/auth/register";
  request.body = json{{"username", name}, {"password", "correct-horse-9"}}.dump();
  http.request(request, [&](client::HttpResponse r) { response = std::move(r); });
  REQUIRE(pump(io, nullptr, [&] { return response.has_value(); }));
  INFO(response->body);
  REQUIRE(response->status == 201);
  return json::parse(response->body).at("token").get<std::string>();
}

struct Recorder {
  int connected = 0, reconnected = 0, disconnected = 0, attempts = 0;
  std::string connect_error;
  std::vector<std::string> events;
  client::Session::Handlers handlers() {
    client::Session::Handlers h;
    h.on_connected = [this](bool again) { again ? ++reconnected : ++connected; };
    h.on_disconnected = [this](const std::string&, bool) { ++disconnected; };
    h.on_reconnect_attempt = [this](int) { ++attempts; };
    h.on_connect_error = [this](const std::string& message) { connect_error = message; };
    h.on_event = [this](const protocol::Event& e) { events.push_back(e.name); };
    return h;
  }
};

}  // namespace

TEST_CASE("native: URLs split into host, port and target") {
  auto u = native::parse_url("ws://127.0.0.1:8080/socket.io/?EIO=4&transport=websocket");
  REQUIRE(u);
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == "8080");
  CHECK(u->target == "/socket.io/?EIO=4&transport=websocket");
  CHECK(u->host_header() == "127.0.0.1:8080");
  auto s = native::parse_url("https://example.org");
  REQUIRE(s);
  CHECK(s->secure());
  CHECK(s->port == "443");
  CHECK(s->target == "/");
  CHECK(s->host_header() == "example.org");
  auto v6 = native::parse_url("wss://[::1]:9443/x#frag");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->target == "/x");
  CHECK_FALSE(native::parse_url("ftp://x"));
  CHECK_FALSE(native::parse_url("http://:80"));
  CHECK_FALSE(native::parse_url("http://h:99999"));
  CHECK_FALSE(native::parse_url("http://user@h"));
}

TEST_CASE("native: the Beast transport connects, authenticates and exchanges events") {
  ServerProcess server;
  server.start();
  native::IoThread io;
  native::BeastHttpClient http(io);
  const std::string token = register_user(io, http, server.origin(), "native_ok");

  client::Session session(native::beast_websocket_factory(io), client::ReconnectPolicy{3, 100, 200, 2, 0});
  Recorder r;
  session.set_handlers(r.handlers());
  session.open(client::socket_url_for(server.origin()), {{"token", token}}, now_ms());
  REQUIRE(pump(io, &session, [&] { return r.connected == 1; }));
  CHECK(session.status() == client::ConnectionStatus::connected);
  CHECK_FALSE(session.sid().empty());

  // An event with an ack, answered by the server through the same socket.
  std::optional<json> ack;
  session.emit("universe:join", {{"universe_id", "999999"}}, [&](const json& a) { ack = a; });
  REQUIRE(pump(io, &session, [&] { return ack.has_value(); }));
  INFO(ack->dump());
  CHECK(ack->value("ok", true) == false);

  session.close();
  CHECK(session.status() == client::ConnectionStatus::disconnected);
}

TEST_CASE("native: a refused token is a CONNECT_ERROR and no retry") {
  ServerProcess server;
  server.start();
  native::IoThread io;
  client::Session session(native::beast_websocket_factory(io), client::ReconnectPolicy{3, 100, 200, 2, 0});
  Recorder r;
  session.set_handlers(r.handlers());
  session.open(client::socket_url_for(server.origin()), {{"token", "not-a-token"}}, now_ms());
  REQUIRE(pump(io, &session, [&] { return !r.connect_error.empty(); }));
  CHECK(r.connect_error == "unauthorized");
  pump(io, &session, [] { return false; }, 500);
  CHECK(r.connected == 0);
  CHECK(r.attempts == 0);
  CHECK(session.status() == client::ConnectionStatus::disconnected);
  CHECK(session.stop_reason() == client::StopReason::unauthorized);
}

TEST_CASE("native: no server is a 1006 close; close() silences a transport") {
  native::IoThread io;
  const int port = free_port();
  auto transport = native::beast_websocket_factory(io)();
  std::optional<int> code;
  bool opened = false;
  transport->connect("ws://127.0.0.1:" + std::to_string(port) + "/socket.io/?EIO=4&transport=websocket",
                     {[&] { opened = true; }, [](std::string_view) {}, [&](int c, std::string) { code = c; }});
  REQUIRE(pump(io, nullptr, [&] { return code.has_value(); }));
  CHECK(*code == 1006);
  CHECK_FALSE(opened);

  // A transport closed before anything happens never calls back.
  ServerProcess server;
  server.start();
  auto quiet = native::beast_websocket_factory(io)();
  int calls = 0;
  quiet->connect(client::socket_url_for(server.origin()),
                 {[&] { ++calls; }, [&](std::string_view) { ++calls; }, [&](int, std::string) { ++calls; }});
  quiet->close();
  pump(io, nullptr, [] { return false; }, 500);
  CHECK(calls == 0);

  // HTTP to a dead port: status 0, on the UI thread.
  native::BeastHttpClient http(io);
  std::optional<client::HttpResponse> response;
  http.request({"GET", "http://127.0.0.1:" + std::to_string(port) + "/api/health", "", ""},
               [&](client::HttpResponse r) { response = r; });
  REQUIRE(pump(io, nullptr, [&] { return response.has_value(); }));
  CHECK(response->status == 0);
}

TEST_CASE("native: the session reconnects when the server comes back on the same port") {
  ServerProcess server;
  const int port = server.start();
  native::IoThread io;
  native::BeastHttpClient http(io);
  const std::string token = register_user(io, http, server.origin(), "native_again");

  client::Session session(native::beast_websocket_factory(io), client::ReconnectPolicy{20, 200, 500, 1.5, 0});
  Recorder r;
  session.set_handlers(r.handlers());
  session.open(client::socket_url_for(server.origin()), {{"token", token}}, now_ms());
  REQUIRE(pump(io, &session, [&] { return r.connected == 1; }));

  server.stop(SIGTERM);
  REQUIRE(pump(io, &session, [&] { return r.disconnected >= 1; }));
  CHECK(session.status() == client::ConnectionStatus::reconnecting);
  REQUIRE(pump(io, &session, [&] { return r.attempts >= 1; }));

  server.start(port);  // same data dir and secret: the token is still good
  REQUIRE(pump(io, &session, [&] { return r.reconnected == 1; }, 20000));
  CHECK(session.status() == client::ConnectionStatus::connected);
  session.close();
}
