// Which folder the web client is served from when --web-root is not given: the
// installed site next to an installed program, else the staged WebAssembly build of a
// checkout if there is one, else the plain page assets.
#pragma once

#include <filesystem>
#include <string>

namespace harmonic::app {

std::filesystem::path resolve_web_root(const std::string& from_command_line, const char* argv0);

}  // namespace harmonic::app
