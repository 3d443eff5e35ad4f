// The PostgreSQL implementation of Store (--postgres, docs/operations.md "PostgreSQL
// store"): the shared durable store of several harmonic-server nodes.
//
// Several writers: unlike SqliteStore this store is not the only writer, so nothing it
// remembers between calls decides anything. A change's seqs come from universes.last_seq,
// bumped by the change's first statement, which takes the universe's row lock until the
// transaction ends: commit order is seq order, and a compare-and-set
// (UniverseChange::expected_parameters) reads the committed values under that lock.
//
// Threading: every call but a batch's COMMIT runs on the calling thread (the core's, the
// event loop), synchronously: it waits for its round trip. Group commit (write_batch.hpp)
// maps onto one transaction per batch, each change inside it a SAVEPOINT, so a failed
// change undoes only itself. Once commit_off_the_loop() was called, commit_batch_async()
// hands the batch's connection, transaction open, to a commit thread (commit_thread.hpp)
// that sends the COMMIT and posts the outcome back; the loop goes on with a second
// connection meanwhile, so the next turn's writes form the next batch while this one
// commits (docs/cluster.md, "Commits off the event loop"). At most one batch is in flight
// per connection; when both are committing, the loop's next call waits for the first.
//
// Failures: a full or failing disk on the server (SQLSTATE 53100, 53000, 58030) is
// out_of_space() as for SQLite; a lost connection is ConnectionLost, and the next call
// reconnects. Text that PostgreSQL cannot store (invalid UTF-8, NUL bytes) is refused with
// a StorageError before it is sent, leaving an open batch intact; lookups by such text
// find nothing.
//
// Ids, limits and bad ids behave as in SqliteStore (sqlite_store.hpp).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/commit_thread.hpp"
#include "storage/postgres_connection.hpp"
#include "storage/retention.hpp"
#include "storage/store.hpp"

namespace harmonic::storage {

struct PostgresOptions {
  // The schema the tables live in, created when missing; empty: the connection's
  // search_path (normally "public"). Tests give each case a fresh one.
  std::string schema;
  Retention retention;
};

class PostgresStore : public Store {
 public:
  // Connects with `conninfo` (a libpq connection string or postgresql:// URI) and migrates
  // the schema. Throws ConnectionLost when the server cannot be reached, StorageError when
  // the schema is newer than this build knows.
  explicit PostgresStore(const std::string& conninfo, PostgresOptions options = {});
  // Waits for the COMMITs in flight (commit_off_the_loop).
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  std::optional<User> create_user(const std::string& username, const std::string& email,
                                  const std::string& password_hash, std::int64_t now) override;
  std::optional<User> find_user(const std::string& id) override;
  std::optional<User> find_user_by_name(const std::string& username) override;
  std::optional<User> change_password(const std::string& user_id, const std::string& password_hash) override;

  void revoke_token(const std::string& token_id, std::int64_t expires_at, std::int64_t now) override;
  bool is_token_revoked(const std::string& token_id) override;
  std::set<std::string> revoked_among(const std::vector<std::string>& token_ids) override;
  std::map<std::string, std::int64_t> token_generations(const std::vector<std::string>& user_ids) override;

  Universe create_universe(const std::string& owner_id, const std::string& name, const std::string& description,
                           bool is_public, std::uint64_t seed, const nlohmann::json& parameters,
                           std::int64_t now) override;
  std::optional<Universe> find_universe(const std::string& id) override;
  UniversePage list_universes_visible_to(const std::string& user_id, int limit,
                                         const std::optional<std::string>& older_than_id) override;
  std::int64_t count_universes_owned_by(const std::string& user_id) override;
  bool delete_universe(const std::string& id) override;
  Role role_of(const std::string& universe_id, const std::string& user_id) override;

  bool add_collaborator(const std::string& universe_id, const std::string& user_id) override;
  bool remove_collaborator(const std::string& universe_id, const std::string& user_id) override;
  std::vector<User> list_collaborators(const std::string& universe_id) override;

  nlohmann::json load_parameters(const std::string& universe_id) override;
  std::vector<HistoryEntry> commit(const UniverseChange& change) override;
  std::vector<HistoryEntry> latest_history(const std::string& universe_id, int limit) override;
  std::vector<HistoryEntry> history_page(const std::string& universe_id, std::int64_t after_timestamp,
                                         std::int64_t after_seq, int limit) override;

  ChatMessage add_message(const std::string& universe_id, const std::string& user_id, const std::string& message,
                          std::int64_t now) override;
  std::vector<ChatMessage> latest_messages(const std::string& universe_id, int limit) override;
  std::vector<ChatMessage> messages_page(const std::string& universe_id, std::int64_t after_timestamp,
                                         const std::string& after_id, int limit) override;

  // One BEGIN ... COMMIT around many changes. begin_batch() throws when one is open.
  void begin_batch() override;
  void commit_batch() override;
  // Off the loop once commit_off_the_loop() was given a `post` (see "Threading" above).
  void commit_batch_async(CommitDone done) override;
  // Opens the second connection and starts the commit thread; an empty `post` stops it
  // after the COMMITs in flight. Throws ConnectionLost when the second connection fails.
  void commit_off_the_loop(Post post) override;
  void rollback_batch() noexcept override;
  bool batch_open() const override;

  bool out_of_space() const override;

  std::optional<std::string> get_setting(const std::string& key) override;
  void put_setting(const std::string& key, const std::string& value) override;
  std::string keep_first_setting(const std::string& key, const std::string& value) override;

  int schema_version();
  // The server process serving this connection (pg_backend_pid()): for logs, and for tests
  // that cut exactly this connection.
  int backend_pid();

 private:
  // The connection the calling (loop) thread uses: the one it has, or else one whose
  // COMMIT has returned, waiting for one when every connection is committing.
  pg::Connection& connection();
  // COMMIT of the batch open on `connection` (any thread that owns it).
  static void commit_on(pg::Connection& connection);
  // A write of one statement: its own transaction, or a savepoint inside a batch.
  pg::Result write(const std::string& sql, const pg::Params& params);
  void prune_history(std::int64_t universe, std::int64_t previous_last_seq, std::int64_t last_seq);
  void prune_messages(std::int64_t universe);

  std::string conninfo_;
  std::string setup_;
  // [0] opened by the constructor; [1] by commit_off_the_loop(). Never resized after.
  std::vector<std::unique_ptr<pg::Connection>> connections_;
  std::optional<std::size_t> current_ = 0;  // the loop's connection; none while all commit
  std::mutex committing_mutex_;             // guards committing_, between loop and thread
  std::condition_variable commit_returned_;
  std::vector<bool> committing_;            // per connection: handed to the commit thread
  // The last COMMIT on the thread failed for want of space (out_of_space()).
  std::atomic<bool> commit_out_of_space_{false};
  Post post_;
  std::unique_ptr<CommitThread> commit_thread_;  // after connections_: joined before they close
  Retention retention_;
  std::unordered_map<std::int64_t, std::int64_t> messages_since_prune_;  // per universe, this process
};

}  // namespace harmonic::storage
