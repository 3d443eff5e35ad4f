// The operator's commands that share the server's program but do not serve:
// `harmonic-server backup`, `restore` and `admin` (docs/operations.md, "Backup and
// restore" and "Admin commands").
#pragma once

#include <optional>

namespace harmonic::app {

// Exit codes of the commands: 0 done; kExitFailed: nothing was changed, the message on
// stderr says why; kExitInUse: the data directory is in use in a way that forbids the
// command (a server runs during `restore`, a restore runs during the others). CLI11's own
// codes (non-zero) for a command line it cannot parse.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitInUse = 3;

// Runs the command named by argv[1] and returns its exit code; nullopt when argv[1] names
// none, so the server runs.
std::optional<int> run_subcommand(int argc, char** argv);

int run_backup(int argc, char** argv);   // argv[0] is "backup"
int run_restore(int argc, char** argv);  // argv[0] is "restore"
int run_admin(int argc, char** argv);    // argv[0] is "admin"

}  // namespace harmonic::app
