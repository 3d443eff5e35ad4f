#include "storage/file_permissions.hpp"

#include <cstdio>

namespace harmonic::storage {

namespace fs = std::filesystem;

namespace {

std::string octal(fs::perms mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & fs::perms::mask));
  return text;
}

// Sets `wanted` on `path` unless it already has exactly that; says what changed.
std::optional<std::string> restrict_mode(const fs::path& path, fs::perms wanted) {
  const auto current = fs::status(path).permissions() & fs::perms::mask;
  if (current == wanted) return std::nullopt;
  fs::permissions(path, wanted, fs::perm_options::replace);
  return path.string() + ": " + octal(current) + " -> " + octal(wanted);
}

}  // namespace

std::optional<std::string> make_private_directory(const fs::path& directory) {
  // A new directory is made private at once; one that existed is reported when tightened.
  const bool existed = fs::exists(directory);
  fs::create_directories(directory);
  auto change = restrict_mode(directory, kPrivateDirectoryMode);
  return existed ? change : std::nullopt;
}

std::optional<std::string> make_private_file(const fs::path& file) {
  std::error_code error;
  if (!fs::is_regular_file(file, error)) return std::nullopt;
  return restrict_mode(file, kPrivateFileMode);
}

}  // namespace harmonic::storage
