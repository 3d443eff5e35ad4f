// The documented config file (server/app/config_template.hpp): it names every option
// that --help lists, reads back as the defaults, and carries the settings asked for.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <variant>

#include <CLI/CLI.hpp>

#include "app/config_template.hpp"
#include "app/options.hpp"
#include "../storage/temp_dir.hpp"

using harmonic::app::ServerOptions;

namespace {

std::variant<ServerOptions, int> parse_with_config(const std::string& path) {
  std::string program = "harmonic-server", flag = "--config", file = path;
  char* argv[] = {program.data(), flag.data(), file.data()};
  return harmonic::app::parse_options(3, argv);
}

}  // namespace

TEST_CASE("the config template documents every option of the server") {
  const auto text = harmonic::app::server_config_template({});
  ServerOptions options;
  CLI::App cli;
  harmonic::app::define_server_options(cli, options);
  int documented = 0;
  for (const CLI::Option* option : cli.get_options()) {
    if (option == cli.get_help_ptr()) continue;
    const auto& name = option->get_lnames().front();
    INFO("option --" << name);
    // Each option as a commented-out key line, so the file changes nothing by itself.
    CHECK(std::regex_search(text, std::regex("\n#" + name + " =")));
    CHECK(text.find(option->get_description()) != std::string::npos);
    if (!option->get_default_str().empty()) CHECK(text.find("# Default: " + option->get_default_str()) != std::string::npos);
    ++documented;
  }
  CHECK(documented >= 30);
}

TEST_CASE("the config template reads back as the defaults, with the given settings live") {
  harmonic::test::TempDir dir;
  const auto path = dir.file("harmonic-server.conf");
  std::ofstream(path) << harmonic::app::server_config_template({{"data-dir", "/var/lib/x y"}, {"port", "9001"}});
  auto parsed = parse_with_config(path);
  REQUIRE(std::holds_alternative<ServerOptions>(parsed));
  const auto& options = std::get<ServerOptions>(parsed);
  CHECK(options.data_dir == "/var/lib/x y");
  CHECK(options.port == 9001);
  CHECK(options.host == ServerOptions{}.host);
  CHECK(options.max_connections == ServerOptions{}.max_connections);
}

TEST_CASE("the config template refuses a setting that is not an option") {
  CHECK_THROWS_AS(harmonic::app::server_config_template({{"data-dri", "/x"}}), std::invalid_argument);
}
