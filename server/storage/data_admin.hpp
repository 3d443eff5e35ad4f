// What `harmonic-server admin` does to a data directory's database, stopped or running
// (docs/operations.md, "Admin commands"). A running server keeps working: SQLite's locks
// order these writes with its own, and every read of a user or universe it does after
// sees them.
//
// Each change is one transaction: it is complete or not there at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/sqlite_handle.hpp"

namespace harmonic::storage {

// An admin request that cannot be done as asked (no such user, ...); nothing was changed.
class AdminError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct UserSummary {
  std::string id;
  std::string username;
  std::string email;
  std::int64_t created_at = 0;
  std::int64_t universes_owned = 0;
};

struct UniverseSummary {
  std::string id;
  std::string name;
  std::string owner;  // username
  bool is_public = false;
  std::int64_t updated_at = 0;
};

// What delete_user did.
struct DeletedUser {
  std::int64_t universes_deleted = 0;
  std::int64_t universes_transferred = 0;
};

class DataAdmin {
 public:
  // Opens the database of an existing data directory (migrating it like the server would).
  // Throws AdminError when there is none: an admin command never creates one.
  explicit DataAdmin(const std::filesystem::path& data_dir);

  std::vector<UserSummary> list_users();          // by id
  std::vector<UniverseSummary> list_universes();  // by id

  // Throws AdminError when there is no user `username` (case-insensitive).
  void require_user(const std::string& username) { user_id(username); }

  // Sets the password hash of `username` (case-insensitive) and bumps its token generation,
  // which ends every token issued before (auth/token_sessions.hpp). Throws AdminError
  // when there is no such user.
  void reset_password(const std::string& username, const std::string& password_hash);

  // Deletes `username` with their collaborations, chat messages and history entries
  // (ON DELETE CASCADE). Their universes go to `transfer_to` when given (who stops being a
  // collaborator on them, being the owner now), else they are deleted. Throws AdminError
  // when either user does not exist or they are the same.
  DeletedUser delete_user(const std::string& username, const std::optional<std::string>& transfer_to);

  // Throws AdminError when `id` names no universe.
  void delete_universe(const std::string& id);

 private:
  std::int64_t user_id(const std::string& username);  // throws AdminError when missing
  sqlite::Database db_;
};

}  // namespace harmonic::storage
