// The embedded implementation of Store: one SQLite file, `<data_dir>/harmonic.sqlite3`.
//
// Threading: a SqliteStore is used from ONE thread (the core's). It holds one connection
// and a cache of prepared statements, neither of which may be shared between threads
// without a lock; the server owns one store per process and calls it from its core.
//
// Durability: the file is in WAL mode. With synchronous = NORMAL (the default) a committed
// transaction survives the process being killed (SIGKILL), because the WAL write has
// reached the operating system before commit returns; only a power cut or kernel crash may
// lose the last transactions. synchronous = FULL also fsyncs on every commit, surviving
// power loss at the cost of a disk flush per change.
//
// Ids: INTEGER PRIMARY KEY in the file, decimal strings outside. A string that is not a
// decimal id simply finds nothing (nullopt / Role::none / false / empty).
//
// Limits: a `limit` of 0 or less returns nothing.
//
// Files: the database and its -wal and -shm files are made 0600 (file_permissions.hpp):
// they hold password hashes and the token-signing secret.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/sqlite_handle.hpp"
#include "storage/retention.hpp"
#include "storage/statement_cache.hpp"
#include "storage/store.hpp"
#include "storage/wal_checkpointer.hpp"

namespace harmonic::storage {

inline constexpr const char* kDatabaseFileName = "harmonic.sqlite3";

// `<data_dir>/harmonic.sqlite3`; the directory must exist.
inline std::filesystem::path database_file_in(const std::filesystem::path& data_dir) {
  return data_dir / kDatabaseFileName;
}

struct SqliteOptions {
  enum class Synchronous { normal, full };
  Synchronous synchronous = Synchronous::normal;
  // How long a write waits for another connection's lock (another process, a backup tool)
  // before failing with a StorageError.
  std::chrono::milliseconds busy_timeout{5000};
  Retention retention;
};

class SqliteStore : public Store {
 public:
  // Opens or creates the database at `path` (":memory:" for a private in-memory one) and
  // migrates it to the latest schema. Throws StorageError when the file cannot be opened,
  // is not a database, or has a schema newer than this build knows.
  explicit SqliteStore(const std::string& path, SqliteOptions options = {});

  // --- users ---
  std::optional<User> create_user(const std::string& username, const std::string& email,
                                  const std::string& password_hash, std::int64_t now) override;
  std::optional<User> find_user(const std::string& id) override;
  std::optional<User> find_user_by_name(const std::string& username) override;
  std::optional<User> change_password(const std::string& user_id, const std::string& password_hash) override;

  // --- revoked tokens ---
  void revoke_token(const std::string& token_id, std::int64_t expires_at, std::int64_t now) override;
  bool is_token_revoked(const std::string& token_id) override;
  std::set<std::string> revoked_among(const std::vector<std::string>& token_ids) override;
  std::map<std::string, std::int64_t> token_generations(const std::vector<std::string>& user_ids) override;

  // --- universes ---
  // `parameters` must be a JSON object (category -> values); throws StorageError otherwise,
  // or when the owner does not exist.
  Universe create_universe(const std::string& owner_id, const std::string& name, const std::string& description,
                           bool is_public, std::uint64_t seed, const nlohmann::json& parameters,
                           std::int64_t now) override;
  std::optional<Universe> find_universe(const std::string& id) override;
  // Empty when the user does not exist; an `older_than_id` that is not an id finds nothing.
  UniversePage list_universes_visible_to(const std::string& user_id, int limit,
                                         const std::optional<std::string>& older_than_id) override;
  std::int64_t count_universes_owned_by(const std::string& user_id) override;
  bool delete_universe(const std::string& id) override;
  Role role_of(const std::string& universe_id, const std::string& user_id) override;

  // --- collaborators ---
  // false when already a collaborator, or when the universe or the user does not exist.
  bool add_collaborator(const std::string& universe_id, const std::string& user_id) override;
  bool remove_collaborator(const std::string& universe_id, const std::string& user_id) override;
  std::vector<User> list_collaborators(const std::string& universe_id) override;  // by username

  // --- parameters and history ---
  // {} when the universe does not exist.
  nlohmann::json load_parameters(const std::string& universe_id) override;
  // Throws UniverseNotFound (nothing applied) when the universe does not exist, and
  // StorageError when a history entry names a user that does not exist. An entry whose
  // timestamp is 0 gets the change's timestamp.
  std::vector<HistoryEntry> commit(const UniverseChange& change) override;
  std::vector<HistoryEntry> latest_history(const std::string& universe_id, int limit) override;
  std::vector<HistoryEntry> history_page(const std::string& universe_id, std::int64_t after_timestamp,
                                         std::int64_t after_seq, int limit) override;

  // --- chat ---
  // Throws UniverseNotFound when the universe does not exist, StorageError when the user
  // does not.
  ChatMessage add_message(const std::string& universe_id, const std::string& user_id, const std::string& message,
                          std::int64_t now) override;
  std::vector<ChatMessage> latest_messages(const std::string& universe_id, int limit) override;
  // {} when after_id is neither "" nor an id.
  std::vector<ChatMessage> messages_page(const std::string& universe_id, std::int64_t after_timestamp,
                                         const std::string& after_id, int limit) override;

  // --- group commit (WriteBatch) ---
  // One BEGIN IMMEDIATE ... COMMIT around many changes; each change inside is a SAVEPOINT.
  // begin_batch() throws StorageError when a batch is already open.
  void begin_batch() override;
  void commit_batch() override;
  void rollback_batch() noexcept override;
  bool batch_open() const override;

  // --- write health ---
  bool out_of_space() const override;
  // Caps the database at `max_pages` pages (PRAGMA max_page_count) as a full disk would:
  // for tests of the disk-full path. Returns the cap in force (SQLite never sets it below
  // the pages already used).
  std::int64_t limit_pages(std::int64_t max_pages);

  // --- settings ---
  std::optional<std::string> get_setting(const std::string& key) override;
  void put_setting(const std::string& key, const std::string& value) override;
  std::string keep_first_setting(const std::string& key, const std::string& value) override;

  // Modes this store tightened on files it found more open than 0600 (file_permissions.hpp),
  // as "path: 0644 -> 0600", for the server's log.
  const std::vector<std::string>& permission_changes() const { return permission_changes_; }

  // The schema version of the open file (for logs and tests).
  int schema_version();
  // The current value of an integer PRAGMA on this connection, e.g. "synchronous" or
  // "foreign_keys" (for logs and tests). Throws StorageError for a name that is not a
  // plain identifier.
  std::int64_t pragma_value(const std::string& name);

 private:
  // The last history seq per universe, so a change need not look it up: this connection
  // is the only writer. Filled on first use, forgotten whenever a write is undone.
  std::int64_t last_history_seq(std::int64_t universe);
  // Retention (retention.hpp): called inside the write's own transaction.
  void prune_history(std::int64_t universe, std::int64_t previous_last_seq, std::int64_t last_seq);
  void prune_messages(std::int64_t universe);

  sqlite::Database db_;
  sqlite::StatementCache statements_;
  std::unordered_map<std::int64_t, std::int64_t> last_seq_;
  Retention retention_;
  std::unordered_map<std::int64_t, std::int64_t> messages_since_prune_;  // per universe, this process
  std::vector<std::string> permission_changes_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // declared last: stops before db_ closes
};

}  // namespace harmonic::storage
