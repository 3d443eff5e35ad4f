#include "app/config_template.hpp"

#include <sstream>
#include <stdexcept>

#include <CLI/CLI.hpp>

#include "app/options.hpp"

namespace harmonic::app {
namespace {

// TOML wants strings quoted; numbers and booleans stay bare (CLI11 reads either).
std::string toml_value(const std::string& value) {
  if (value == "true" || value == "false") return value;
  std::size_t parsed = 0;
  try {
    (void)std::stod(value, &parsed);
  } catch (const std::exception&) {
    parsed = 0;
  }
  if (!value.empty() && parsed == value.size()) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string server_config_template(const std::map<std::string, std::string>& settings) {
  ServerOptions options;
  CLI::App cli;
  define_server_options(cli, options);
  std::map<std::string, std::string> unused = settings;

  std::ostringstream out;
  out << "# harmonic-server configuration (TOML), read with --config FILE.\n"
         "# Keys are the long command-line options without their \"--\"; an option given on the\n"
         "# command line overrides this file, and an unknown key is an error. Lines starting\n"
         "# with # show each option's default: remove the # to change one.\n"
         "# Generated from the program's own options (harmonic-server-config-template).\n";
  for (const CLI::Option* option : cli.get_options()) {
    if (option == cli.get_help_ptr() || option->get_lnames().empty()) continue;
    const std::string& name = option->get_lnames().front();
    const bool is_flag = option->get_expected_max() == 0;
    const bool is_list = option->get_items_expected_max() > 1;
    std::string fallback = option->get_default_str();
    if (is_flag && fallback.empty()) fallback = "false";

    out << "\n# " << option->get_description();
    if (!option->get_envname().empty()) out << "\n# Also from the environment: " << option->get_envname();
    if (is_list) out << "\n# A list: " << name << " = [\"first\", \"second\"]";
    if (!fallback.empty()) out << "\n# Default: " << fallback;
    out << '\n';
    if (auto set = unused.find(name); set != unused.end()) {
      out << name << " = " << toml_value(set->second) << '\n';
      unused.erase(set);
    } else {
      // No default value to show (the description says what applies): an empty line to fill in.
      out << '#' << name << " =" << (fallback.empty() ? std::string{} : " " + toml_value(fallback)) << '\n';
    }
  }
  if (!unused.empty()) throw std::invalid_argument("not an option of harmonic-server: " + unused.begin()->first);
  return out.str();
}

}  // namespace harmonic::app
