// Helpers for the native network tests: a harmonic-server child process, the UI-side
// pump (queue drain + session timers), a user registered over HTTP, and a recorder
// of session callbacks.
#pragma once

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
#include <vector>

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

namespace native_test {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace harmonic;


inline double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

inline fs::path server_binary() {
  if (const char* env = std::getenv("HARMONIC_SERVER"); env && *env) return env;
  // tests/unit_native lives in <build>/tests; the server in <build>/server.
  const fs::path self = fs::read_symlink("/proc/self/exe");
  return self.parent_path().parent_path() / "server" / "harmonic-server";
}

// A harmonic-server child process on 127.0.0.1 with a private data dir.
class ServerProcess {
 public:
  ServerProcess()
      : data_dir_(fs::temp_directory_path() /
                  ("harmonic-native-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++))) {
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
  static int& counter() {
    static int n = 0;
    return n;
  }
  fs::path data_dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A port nobody listens on: bound by the kernel's choice, then released.
inline int free_port() {
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

inline std::string register_user(native::IoThread& io, native::BeastHttpClient& http, const std::string& origin,
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


}  // namespace native_test
