// `harmonic-server backup` and `harmonic-server restore` (docs/operations.md, "Backup and
// restore").
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "app/data_dir_lock.hpp"
#include "app/subcommands.hpp"
#include "storage/file_permissions.hpp"
#include "storage/sqlite_backup.hpp"
#include "storage/sqlite_store.hpp"

namespace harmonic::app {

namespace fs = std::filesystem;

int run_backup(int argc, char** argv) {
  std::string data_dir;
  std::string target;
  CLI::App cli{"Writes a consistent copy of the database to FILE, also while the server runs and writes",
               "harmonic-server backup"};
  cli.add_option("--data-dir", data_dir, "The server's data folder")->required();
  cli.add_option("--to", target, "The backup file to write (must not exist)")->required();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  try {
    // Shared, like a running server: only a restore in progress stops a backup.
    if (!fs::is_directory(data_dir)) throw std::runtime_error("no data directory at '" + data_dir + "'");
    const auto lock = DataDirLock::try_acquire(data_dir, DataDirLock::Mode::shared);
    if (!lock) {
      std::cerr << "harmonic-server backup: a restore is running on " << data_dir << "; try again after it\n";
      return kExitInUse;
    }
    storage::backup_database(storage::database_file_in(data_dir), target);
    const auto summary = storage::check_backup(target);
    std::cerr << "backed up " << summary.users << " users and " << summary.universes << " universes to " << target
              << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "harmonic-server backup: " << error.what() << "\n";
    return kExitFailed;
  }
}

int run_restore(int argc, char** argv) {
  std::string data_dir;
  std::string source;
  CLI::App cli{"Replaces the database of a stopped server with a backup (the old one is kept as "
               "harmonic.sqlite3.before-restore)",
               "harmonic-server restore"};
  cli.add_option("--from", source, "The backup file")->required();
  cli.add_option("--data-dir", data_dir, "The server's data folder (created if missing)")->required();
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  try {
    // Checked before anything in the data dir is touched.
    const auto summary = storage::check_backup(source);
    storage::make_private_directory(data_dir);
    // Exclusive: fails while any server (or admin, or backup) holds it, and keeps a server
    // from starting on the database while it is replaced.
    const auto lock = DataDirLock::try_acquire(data_dir, DataDirLock::Mode::exclusive);
    if (!lock) {
      std::cerr << "harmonic-server restore: " << data_dir
                << " is in use by a running harmonic-server (or an admin or backup command); stop it first\n";
      return kExitInUse;
    }
    storage::restore_database(source, storage::database_file_in(data_dir));
    std::cerr << "restored " << summary.users << " users and " << summary.universes << " universes from " << source
              << " into " << data_dir << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "harmonic-server restore: " << error.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace harmonic::app
