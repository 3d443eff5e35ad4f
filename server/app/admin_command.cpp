// `harmonic-server admin`: accounts and universes of a stopped or running server's data
// dir, for the operator (docs/operations.md, "Admin commands").
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/data_dir_lock.hpp"
#include "app/subcommands.hpp"
#include "auth/passwords.hpp"
#include "auth/secret.hpp"
#include "http/input_rules.hpp"
#include "storage/data_admin.hpp"

namespace harmonic::app {

namespace {

// A generated password: 96 random bits as 24 hex digits, well past the minimum length.
constexpr std::size_t kGeneratedPasswordBytes = 12;

void print_users(storage::DataAdmin& admin) {
  std::cout << "id\tusername\temail\tcreated_at\tuniverses\n";
  for (const auto& user : admin.list_users()) {
    std::cout << user.id << '\t' << user.username << '\t' << user.email << '\t' << user.created_at << '\t'
              << user.universes_owned << '\n';
  }
}

void print_universes(storage::DataAdmin& admin) {
  std::cout << "id\towner\tpublic\tupdated_at\tname\n";
  for (const auto& universe : admin.list_universes()) {
    std::cout << universe.id << '\t' << universe.owner << '\t' << (universe.is_public ? "yes" : "no") << '\t'
              << universe.updated_at << '\t' << universe.name << '\n';
  }
}

// The new password: one line of stdin, or a generated one printed on stdout.
std::string new_password(bool from_stdin) {
  if (!from_stdin) {
    auto password = auth::random_secret_hex(kGeneratedPasswordBytes);
    std::cout << password << '\n';
    return password;
  }
  std::string password;
  if (!std::getline(std::cin, password)) throw storage::AdminError("no password on stdin");
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (auto problem = http::check_password(password)) throw storage::AdminError(*problem);
  return password;
}

}  // namespace

int run_admin(int argc, char** argv) {
  std::string data_dir;
  std::string name;
  std::string universe_id;
  std::string transfer_to;
  bool delete_universes = false;
  bool password_from_stdin = false;
  std::function<void(storage::DataAdmin&)> action;

  CLI::App cli{"Accounts and universes of a stopped or running server's data dir", "harmonic-server admin"};
  cli.add_option("--data-dir", data_dir, "The server's data folder")->required();
  cli.require_subcommand(1);
  auto* user = cli.add_subcommand("user", "Accounts")->require_subcommand(1);
  auto* universe = cli.add_subcommand("universe", "Universes")->require_subcommand(1);

  user->add_subcommand("list", "Every account: id, username, email, created_at (ms), universes owned")
      ->callback([&] { action = print_users; });
  auto* reset = user->add_subcommand("reset-password",
                                     "Sets a new password and ends every session of the account; prints a generated "
                                     "one-time password unless --password-stdin");
  reset->add_option("NAME", name, "Username")->required();
  reset->add_flag("--password-stdin", password_from_stdin, "Read the new password from the first line of stdin");
  reset->callback([&] {
    action = [&](storage::DataAdmin& admin) {
      // The user must exist before a password is printed for them; reset_password checks
      // again inside its transaction.
      admin.require_user(name);
      const auto hash = auth::hash_password(new_password(password_from_stdin));
      admin.reset_password(name, hash);
      std::cerr << "password of '" << name << "' reset; every session of it ended\n";
    };
  });
  auto* erase_user = user->add_subcommand("delete", "Deletes an account with its chat messages and history entries");
  erase_user->add_option("NAME", name, "Username")->required();
  auto* transfer = erase_user->add_option("--transfer-to", transfer_to, "Give their universes to this user");
  auto* erase_owned = erase_user->add_flag("--delete-universes", delete_universes, "Delete their universes");
  transfer->excludes(erase_owned);
  erase_user->callback([&] {
    if (!delete_universes && transfer_to.empty()) {
      throw CLI::ValidationError("user delete", "say what becomes of their universes: --transfer-to USER or --delete-universes");
    }
    action = [&](storage::DataAdmin& admin) {
      const auto done = admin.delete_user(name, delete_universes ? std::nullopt : std::optional(transfer_to));
      std::cerr << "deleted user '" << name << "'; universes deleted: " << done.universes_deleted
                << ", transferred to '" << transfer_to << "': " << done.universes_transferred << "\n";
    };
  });

  universe->add_subcommand("list", "Every universe: id, owner, public, updated_at (ms), name")
      ->callback([&] { action = print_universes; });
  auto* erase_universe = universe->add_subcommand("delete", "Deletes a universe with its history and chat");
  erase_universe->add_option("ID", universe_id, "Universe id (see universe list)")->required();
  erase_universe->callback([&] {
    action = [&](storage::DataAdmin& admin) {
      admin.delete_universe(universe_id);
      std::cerr << "deleted universe " << universe_id << "\n";
    };
  });

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  try {
    if (!std::filesystem::is_directory(data_dir)) {
      throw storage::AdminError("no data directory at '" + data_dir + "'");
    }
    const auto lock = DataDirLock::try_acquire(data_dir, DataDirLock::Mode::shared);
    if (!lock) {
      std::cerr << "harmonic-server admin: a restore is running on " << data_dir << "; try again after it\n";
      return kExitInUse;
    }
    storage::DataAdmin admin(data_dir);
    action(admin);
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "harmonic-server admin: " << error.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace harmonic::app
