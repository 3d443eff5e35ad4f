// The storage interface of the server core. Everything the server remembers goes
// through this class, so that moving from the embedded SQLite file to PostgreSQL later
// touches one implementation file and nothing that calls it.
//
// Ids are decimal strings everywhere outside the database (the wire protocol says every
// id is a string). Timestamps are milliseconds since the Unix epoch, chosen by the
// caller, so tests can use a fake clock.
//
// Durability contract: when a mutating call returns, the change is committed (SQLite WAL
// commit, PostgreSQL COMMIT), so a SIGKILL of the process right after cannot lose it; inside a WriteBatch
// (write_batch.hpp) that moment is commit_batch() instead.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/errors.hpp"  // StorageError, UniverseNotFound: what every Store throws
#include "storage/write_batch.hpp"

namespace harmonic::storage {

struct User {
  std::string id;
  std::string username;
  std::string email;
  std::string password_hash;
  std::int64_t created_at = 0;
  // Written into every token issued for the user; a token of an older generation is no
  // longer accepted (a password change bumps it: every session ends).
  std::int64_t token_generation = 0;
};

struct Universe {
  std::string id;
  std::string owner_id;
  std::string name;
  std::string description;
  bool is_public = false;
  std::uint64_t seed = 0;  // the simulation seed, fixed at creation
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// What a user may do with a universe, strongest first.
enum class Role { none, viewer, collaborator, owner };

// One applied change, as kept in the per-universe log. `seq` grows by one per entry in a
// universe and is assigned by the store. kind is "parameter", "reset" or "universe".
struct HistoryEntry {
  std::int64_t seq = 0;
  std::int64_t timestamp = 0;
  std::string user_id;
  std::string kind;
  std::optional<std::string> category;
  nlohmann::json changes;
};

struct ChatMessage {
  std::string id;
  std::string universe_id;
  std::string user_id;
  std::string username;  // filled in by reads (joined from users)
  std::string message;
  std::int64_t timestamp = 0;
};

// Everything one accepted request changes in a universe, committed in one transaction.
struct UniverseChange {
  std::string universe_id;
  std::int64_t timestamp = 0;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> is_public;
  // category -> the complete new values of that category (not just the changed ones)
  std::map<std::string, nlohmann::json> parameter_sets;
  // When true, parameter_sets hold only the values that change, merged key by key into the
  // committed ones inside the transaction. For writers whose cached copy may be behind the
  // store (several nodes on PostgreSQL): a complete set built from it would undo what
  // another node committed meanwhile to the other keys of the category.
  bool merge_parameter_sets = false;
  // Compare-and-set: category -> {name: value} that must equal the committed values when
  // the change is applied (a missing parameter compares as null), checked inside the
  // change's transaction under the universe's lock, so a writer on another connection
  // cannot slip in between. A mismatch throws ParameterConflict and applies nothing.
  std::map<std::string, nlohmann::json> expected_parameters;
  std::vector<HistoryEntry> history;  // seq ignored on input
};

// One entry of a universe list page: the universe and the caller's role on it (never
// Role::none).
struct VisibleUniverse {
  Universe universe;
  Role role = Role::none;
};

// A page of the universes a user may see, newest first.
struct UniversePage {
  std::vector<VisibleUniverse> universes;
  // Pass as `older_than_id` to get the next page; nullopt on the last page.
  std::optional<std::string> next_older_than_id;
};

class Store : public WriteBatch {
 public:

  // --- users ---
  // nullopt when the username is taken, compared without regard to case.
  virtual std::optional<User> create_user(const std::string& username, const std::string& email,
                                          const std::string& password_hash, std::int64_t now) = 0;
  virtual std::optional<User> find_user(const std::string& id) = 0;
  virtual std::optional<User> find_user_by_name(const std::string& username) = 0;  // case-insensitive
  // Sets a new password hash and bumps token_generation, ending every token issued before;
  // returns the updated user, nullopt when there is no such user.
  virtual std::optional<User> change_password(const std::string& user_id, const std::string& password_hash) = 0;

  // --- revoked tokens (logout) ---
  // Remembers that the token `token_id` is no longer valid, until `expires_at` (ms, when
  // the token expires anyway). Revocations whose token expired by `now` are forgotten
  // here, so the table stays as small as the tokens revoked within one token lifetime.
  virtual void revoke_token(const std::string& token_id, std::int64_t expires_at, std::int64_t now) = 0;
  virtual bool is_token_revoked(const std::string& token_id) = 0;
  // The same check for many tokens, in one query: those of `token_ids` that are revoked.
  // For a node that re-checks all its open sockets at once (after a Redis outage it may
  // have missed revocations: docs/cluster.md, "When Redis is away").
  virtual std::set<std::string> revoked_among(const std::vector<std::string>& token_ids) = 0;
  // Each of `user_ids`' current token_generation, in one query; a user that does not
  // exist (deleted, or not a valid id) is left out of the answer.
  virtual std::map<std::string, std::int64_t> token_generations(const std::vector<std::string>& user_ids) = 0;

  // --- universes ---
  // `parameters` is {"physics":{...},"music":{...},"audio":{...},"visualization":{...}}.
  virtual Universe create_universe(const std::string& owner_id, const std::string& name,
                                   const std::string& description, bool is_public, std::uint64_t seed,
                                   const nlohmann::json& parameters, std::int64_t now) = 0;
  virtual std::optional<Universe> find_universe(const std::string& id) = 0;
  // Own, shared with the user as collaborator, and public ones, newest first (by id: ids
  // grow with creation), each with the user's role: at most `limit` of them, only those
  // with an id below `older_than_id` when given. One query, however many there are
  // (docs/operations.md, "Universe lists and quotas").
  virtual UniversePage list_universes_visible_to(const std::string& user_id, int limit,
                                                 const std::optional<std::string>& older_than_id) = 0;
  // How many universes the user owns (for the per-user quota).
  virtual std::int64_t count_universes_owned_by(const std::string& user_id) = 0;
  // Deletes the universe with its parameters, history, chat and collaborators.
  virtual bool delete_universe(const std::string& id) = 0;
  virtual Role role_of(const std::string& universe_id, const std::string& user_id) = 0;

  // --- collaborators ---
  virtual bool add_collaborator(const std::string& universe_id, const std::string& user_id) = 0;  // false if already
  virtual bool remove_collaborator(const std::string& universe_id, const std::string& user_id) = 0;
  virtual std::vector<User> list_collaborators(const std::string& universe_id) = 0;

  // --- parameters and history ---
  virtual nlohmann::json load_parameters(const std::string& universe_id) = 0;
  // Applies the whole change atomically and returns its history entries with seq set.
  // Throws UniverseNotFound, with nothing applied, when the universe does not exist, and
  // ParameterConflict when expected_parameters do not hold. The seqs are taken under the
  // universe's lock inside the transaction, so with several writers (connections, nodes)
  // commit order is seq order and a seq is never given twice.
  virtual std::vector<HistoryEntry> commit(const UniverseChange& change) = 0;
  virtual std::vector<HistoryEntry> latest_history(const std::string& universe_id, int limit) = 0;  // oldest first
  // One page of the log for state:sync: the entries with timestamp > after_timestamp and
  // seq > after_seq, lowest seq first, at most `limit`. Reads only that page's rows, so
  // paging through a long log costs one page at a time (docs/protocol.md, "Limits and paging").
  virtual std::vector<HistoryEntry> history_page(const std::string& universe_id, std::int64_t after_timestamp,
                                                 std::int64_t after_seq, int limit) = 0;

  // --- chat ---
  virtual ChatMessage add_message(const std::string& universe_id, const std::string& user_id,
                                  const std::string& message, std::int64_t now) = 0;
  virtual std::vector<ChatMessage> latest_messages(const std::string& universe_id, int limit) = 0;  // oldest first
  // The same for chat: messages with timestamp > after_timestamp and an id after
  // `after_id` ("" for the first page), in the order they were stored, at most `limit`.
  virtual std::vector<ChatMessage> messages_page(const std::string& universe_id, std::int64_t after_timestamp,
                                                 const std::string& after_id, int limit) = 0;

  // --- write health (docs/operations.md, "Disk full") ---
  // True from a write that failed because the disk is full or failing until a write
  // commits again. Reads keep working meanwhile; /healthz reports it.
  virtual bool out_of_space() const = 0;

  // --- server settings (e.g. the generated JWT secret) ---
  virtual std::optional<std::string> get_setting(const std::string& key) = 0;
  virtual void put_setting(const std::string& key, const std::string& value) = 0;
  // Stores `value` under `key` unless a value is stored already, and returns the stored
  // one: of several servers starting at once on one database, the first writer wins and
  // all use its value (the token-signing secret).
  virtual std::string keep_first_setting(const std::string& key, const std::string& value) = 0;
};

}  // namespace harmonic::storage
