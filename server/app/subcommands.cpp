#include "app/subcommands.hpp"

#include <string_view>

#include <sys/stat.h>

namespace harmonic::app {

std::optional<int> run_subcommand(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  const std::string_view name = argv[1];
  // Whatever the commands create (backups, a restored database) is as private as the
  // server's own files (storage/file_permissions.hpp).
  if (name == "backup" || name == "restore" || name == "admin") ::umask(077);
  if (name == "backup") return run_backup(argc - 1, argv + 1);
  if (name == "restore") return run_restore(argc - 1, argv + 1);
  if (name == "admin") return run_admin(argc - 1, argv + 1);
  return std::nullopt;
}

}  // namespace harmonic::app
