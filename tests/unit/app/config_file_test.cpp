// --config FILE: options from a TOML file, the command line over it, unknown keys refused
// (server/app/options.hpp; docs/operations.md, "Config file").
#include <catch2/catch.hpp>

#include <fstream>
#include <initializer_list>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/options.hpp"
#include "../storage/temp_dir.hpp"

using harmonic::app::parse_options;
using harmonic::app::ServerOptions;

namespace {

struct Parsed {
  std::variant<ServerOptions, int> result;
  std::string messages;  // what CLI11 printed (errors go to stderr, --help to stdout)
};

Parsed parse(std::initializer_list<std::string> arguments) {
  std::vector<std::string> storage{"harmonic-server"};
  storage.insert(storage.end(), arguments);
  std::vector<char*> argv;
  for (auto& argument : storage) argv.push_back(argument.data());
  std::ostringstream captured;
  auto* old_err = std::cerr.rdbuf(captured.rdbuf());
  auto* old_out = std::cout.rdbuf(captured.rdbuf());
  auto result = parse_options(static_cast<int>(argv.size()), argv.data());
  std::cerr.rdbuf(old_err);
  std::cout.rdbuf(old_out);
  return {std::move(result), captured.str()};
}

std::string write_file(const harmonic::test::TempDir& dir, const std::string& text) {
  const auto path = dir.file("harmonic-server.conf");
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("options are read from the config file") {
  harmonic::test::TempDir dir;
  const auto config = write_file(dir,
                                 "# a comment\n"
                                 "port = 9123\n"
                                 "data-dir = \"/srv/harmonic\"\n"
                                 "fsync = true\n"
                                 "rate-limit = 7.5\n"
                                 "trusted-proxy = [\"10.0.0.1\", \"10.0.0.2\"]\n");
  auto parsed = parse({"--config", config});
  REQUIRE(std::holds_alternative<ServerOptions>(parsed.result));
  const auto& options = std::get<ServerOptions>(parsed.result);
  CHECK(options.port == 9123);
  CHECK(options.data_dir == "/srv/harmonic");
  CHECK(options.durable_fsync);
  CHECK(options.rate_limit == 7.5);
  CHECK(options.trusted_proxies == std::vector<std::string>{"10.0.0.1", "10.0.0.2"});
  CHECK(options.host == ServerOptions{}.host);  // not in the file: the default
}

TEST_CASE("the command line overrides the config file") {
  harmonic::test::TempDir dir;
  const auto config = write_file(dir, "port = 9123\nhost = \"0.0.0.0\"\n");
  auto parsed = parse({"--port", "9200", "--config", config});
  REQUIRE(std::holds_alternative<ServerOptions>(parsed.result));
  const auto& options = std::get<ServerOptions>(parsed.result);
  CHECK(options.port == 9200);
  CHECK(options.host == "0.0.0.0");
}

TEST_CASE("an unknown key in the config file is an error naming the key") {
  harmonic::test::TempDir dir;
  const auto config = write_file(dir, "port = 9123\nmax-conections = 5\n");
  auto parsed = parse({"--config", config});
  REQUIRE(std::holds_alternative<int>(parsed.result));
  CHECK(std::get<int>(parsed.result) != 0);
  CHECK_THAT(parsed.messages, Catch::Contains("max-conections"));
}

TEST_CASE("a bad value in the config file is refused like on the command line") {
  harmonic::test::TempDir dir;
  const auto config = write_file(dir, "log-level = \"loud\"\n");
  auto parsed = parse({"--config", config});
  REQUIRE(std::holds_alternative<int>(parsed.result));
  CHECK(std::get<int>(parsed.result) != 0);
  CHECK_THAT(parsed.messages, Catch::Contains("loud"));
}

TEST_CASE("a missing config file is an error") {
  harmonic::test::TempDir dir;
  auto parsed = parse({"--config", dir.file("absent.conf")});
  REQUIRE(std::holds_alternative<int>(parsed.result));
  CHECK(std::get<int>(parsed.result) != 0);
  CHECK_THAT(parsed.messages, Catch::Contains("absent.conf"));
}
