#include "app/web_root.hpp"

#include <system_error>

namespace harmonic::app {

std::filesystem::path resolve_web_root(const std::string& from_command_line, const char* argv0) {
  namespace fs = std::filesystem;
  if (!from_command_line.empty()) return fs::path(from_command_line);
  std::error_code ignored;
  const auto program_dir = fs::weakly_canonical(fs::path(argv0), ignored).parent_path();
  // Installed (cmake --install, the .deb): the site is at a fixed place relative to the
  // program, /usr/share/harmonic-universe/site for /usr/bin (cmake/install_layout.cmake).
  const auto installed_site = program_dir / HARMONIC_SITE_FROM_BINDIR;
  // In a checkout the program lives in <repo>/build/server/; the web build in <repo>/build-web/site.
  const auto repo_from_program = program_dir.parent_path().parent_path();
  for (const auto& candidate : {installed_site, repo_from_program / "build-web" / "site", fs::current_path() / "build-web" / "site",
                                repo_from_program / "web-assets", fs::current_path() / "web-assets"}) {
    if (fs::exists(candidate / "index.html", ignored)) return candidate;
  }
  return {};
}

}  // namespace harmonic::app
