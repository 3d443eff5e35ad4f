// The config file that documents every option of harmonic-server: for each one its
// description and default, commented out so the program's defaults apply, except the
// settings given, which are written as live lines. Generated from the options
// themselves, so it cannot miss one or show a stale default (docs/operations.md,
// "Config file").
#pragma once

#include <map>
#include <string>

namespace harmonic::app {

// settings: option name (as in the file, e.g. "data-dir") -> value to set. Throws
// std::invalid_argument for a name that is not an option.
std::string server_config_template(const std::map<std::string, std::string>& settings);

}  // namespace harmonic::app
