// harmonic-server-config-template OUTPUT [NAME=VALUE]...: writes the documented config
// file (config_template.hpp) with the given settings live, at build time for the
// package's /etc/harmonic-universe/harmonic-server.conf (cmake/packaging.cmake).
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "app/config_template.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: harmonic-server-config-template OUTPUT [NAME=VALUE]...\n";
    return 2;
  }
  std::map<std::string, std::string> settings;
  for (int i = 2; i < argc; ++i) {
    const std::string setting = argv[i];
    const auto equals = setting.find('=');
    if (equals == std::string::npos || equals == 0) {
      std::cerr << "harmonic-server-config-template: not NAME=VALUE: " << setting << '\n';
      return 2;
    }
    settings[setting.substr(0, equals)] = setting.substr(equals + 1);
  }
  try {
    const std::string text = harmonic::app::server_config_template(settings);
    std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::cerr << "harmonic-server-config-template: cannot write " << argv[1] << '\n';
      return 1;
    }
  } catch (const std::exception& error) {
    std::cerr << "harmonic-server-config-template: " << error.what() << '\n';
    return 2;
  }
  return 0;
}
