#include "app/web_root.hpp"

#include <system_error>

namespace harmonic::app {

std::filesystem::path resolve_web_root(const std::string& from_command_line, const char* argv0) {
  namespace fs = std::filesystem;
  if (!from_command_line.empty()) return fs::path(from_command_line);
  std::error_code ignored;
  // The program lives in <repo>/build/server/; the web build in <repo>/build-web/site.
  const auto program_dir = fs::weakly_canonical(fs::path(argv0), ignored).parent_path();
  const auto repo_from_program = program_dir.parent_path().parent_path();
  for (const auto& candidate : {repo_from_program / "build-web" / "site", fs::current_path() / "build-web" / "site",
                                repo_from_program / "web-assets", fs::current_path() / "web-assets"}) {
    if (fs::exists(candidate / "index.html", ignored)) return candidate;
  }
  return {};
}

}  // namespace harmonic::app
