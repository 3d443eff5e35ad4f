// Who may read what the server keeps: only the user it runs as. The database holds password
// hashes and, unless one is given on the command line, the token-signing secret; a copy of
// that secret lets anyone forge a token for any account. So the data directory is 0700 and
// the database with its -wal and -shm files 0600, whatever the umask, and an existing data
// directory or file left more open by an older server is tightened at start-up.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace harmonic::storage {

inline constexpr std::filesystem::perms kPrivateDirectoryMode = std::filesystem::perms::owner_all;  // 0700
inline constexpr std::filesystem::perms kPrivateFileMode =
    std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;  // 0600

// Creates `directory` (with its parents) when missing and gives it kPrivateDirectoryMode.
// Returns what was changed on a directory that already existed with another mode, e.g.
// "data: 0755 -> 0700", for the log; nullopt when nothing had to change. Throws
// std::filesystem::filesystem_error when the directory cannot be made or changed.
std::optional<std::string> make_private_directory(const std::filesystem::path& directory);

// Gives an existing `file` kPrivateFileMode; nothing when it does not exist. Returns what
// was changed, as above.
std::optional<std::string> make_private_file(const std::filesystem::path& file);

}  // namespace harmonic::storage
