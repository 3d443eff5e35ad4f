#include "storage/data_admin.hpp"

#include <charconv>

#include <sqlite3.h>

#include "storage/sqlite_store.hpp"

namespace harmonic::storage {

namespace {

// How long a change waits for a running server's write transaction to end.
constexpr int kBusyTimeoutMs = 10'000;

// The database file of `data_dir`, migrated to this build's schema with the modes the
// server gives its files: opening it as the server does (SqliteStore) does both.
std::string prepared_database(const std::filesystem::path& data_dir) {
  const auto path = database_file_in(data_dir);
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw AdminError("no database at '" + path.string() + "' (is --data-dir right?)");
  }
  SqliteStore migrate_and_check(path.string());
  return path.string();
}

std::string id_text(std::int64_t id) { return std::to_string(id); }

}  // namespace

DataAdmin::DataAdmin(const std::filesystem::path& data_dir) : db_(prepared_database(data_dir)) {
  sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs);
  db_.exec("PRAGMA foreign_keys = ON");  // the deletes below rely on ON DELETE CASCADE
}

std::vector<UserSummary> DataAdmin::list_users() {
  sqlite::Statement query(db_.get(),
                          "SELECT u.id, u.username, u.email, u.created_at,"
                          " (SELECT count(*) FROM universes WHERE owner_id = u.id)"
                          " FROM users u ORDER BY u.id");
  std::vector<UserSummary> users;
  while (query.step()) {
    users.push_back({id_text(query.int64(0)), query.text(1), query.text(2), query.int64(3), query.int64(4)});
  }
  return users;
}

std::vector<UniverseSummary> DataAdmin::list_universes() {
  sqlite::Statement query(db_.get(),
                          "SELECT v.id, v.name, u.username, v.is_public, v.updated_at"
                          " FROM universes v JOIN users u ON u.id = v.owner_id ORDER BY v.id");
  std::vector<UniverseSummary> universes;
  while (query.step()) {
    universes.push_back({id_text(query.int64(0)), query.text(1), query.text(2), query.int64(3) != 0, query.int64(4)});
  }
  return universes;
}

std::int64_t DataAdmin::user_id(const std::string& username) {
  sqlite::Statement query(db_.get(), "SELECT id FROM users WHERE username = ?1");  // the column is COLLATE NOCASE
  query.bind(1, username);
  if (!query.step()) throw AdminError("no user named '" + username + "'");
  return query.int64(0);
}

void DataAdmin::reset_password(const std::string& username, const std::string& password_hash) {
  sqlite::Transaction transaction(db_);
  const auto id = user_id(username);
  sqlite::Statement update(db_.get(),
                           "UPDATE users SET password_hash = ?1, token_generation = token_generation + 1 WHERE id = ?2");
  update.bind(1, password_hash).bind(2, id).run();
  transaction.commit();
}

DeletedUser DataAdmin::delete_user(const std::string& username, const std::optional<std::string>& transfer_to) {
  sqlite::Transaction transaction(db_);
  const auto id = user_id(username);
  DeletedUser result;
  if (transfer_to) {
    const auto heir = user_id(*transfer_to);
    if (heir == id) throw AdminError("cannot transfer the universes of '" + username + "' to the same user");
    // The new owner is no longer also a collaborator on what they now own.
    sqlite::Statement uncollaborate(db_.get(),
                                    "DELETE FROM collaborators WHERE user_id = ?1"
                                    " AND universe_id IN (SELECT id FROM universes WHERE owner_id = ?2)");
    uncollaborate.bind(1, heir).bind(2, id).run();
    sqlite::Statement transfer(db_.get(), "UPDATE universes SET owner_id = ?1 WHERE owner_id = ?2");
    transfer.bind(1, heir).bind(2, id).run();
    result.universes_transferred = db_.changes();
  } else {
    sqlite::Statement erase(db_.get(), "DELETE FROM universes WHERE owner_id = ?1");
    erase.bind(1, id).run();
    result.universes_deleted = db_.changes();
  }
  sqlite::Statement erase_user(db_.get(), "DELETE FROM users WHERE id = ?1");
  erase_user.bind(1, id).run();
  transaction.commit();
  return result;
}

void DataAdmin::delete_universe(const std::string& id) {
  std::int64_t key = 0;
  const auto* end = id.data() + id.size();
  const auto [stop, error] = std::from_chars(id.data(), end, key);
  if (id.empty() || error != std::errc{} || stop != end || key <= 0) {
    throw AdminError("'" + id + "' is not a universe id (a positive integer, see `admin universe list`)");
  }
  sqlite::Transaction transaction(db_);
  sqlite::Statement erase(db_.get(), "DELETE FROM universes WHERE id = ?1");
  erase.bind(1, key).run();
  if (db_.changes() == 0) throw AdminError("no universe with id " + id);
  transaction.commit();
}

}  // namespace harmonic::storage
