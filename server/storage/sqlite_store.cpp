#include "storage/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <limits>

#include "storage/compare_and_set.hpp"
#include "storage/file_permissions.hpp"
#include "storage/migrations.hpp"

namespace harmonic::storage {

namespace {

using sqlite::Statement;

// --- ids: decimal strings outside, INTEGER inside ---

// Only canonical positive decimals ("12", not "012", "+12" or " 12") name a row, so one
// row never answers to two different id strings.
std::optional<std::int64_t> parse_id(const std::string& id) {
  if (id.empty() || id.front() == '0') {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (error != std::errc() || end != id.data() + id.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

std::string id_string(std::int64_t id) { return std::to_string(id); }

// --- JSON columns ---

std::string to_json_text(const nlohmann::json& value) {
  // replace: a string with invalid UTF-8 must not make a commit throw half-way through
  // building it; the bad bytes become U+FFFD.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json from_json_text(const std::string& text, const char* what) {
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    throw StorageError(std::string("corrupt JSON in ") + what);
  }
  return value;
}

// --- row readers; the column order is the one of the matching SELECT lists below ---

constexpr const char* kUserColumns = "u.id, u.username, u.email, u.password_hash, u.created_at, u.token_generation";

User read_user(const Statement& row) {
  return User{id_string(row.int64(0)), row.text(1), row.text(2), row.text(3), row.int64(4), row.int64(5)};
}

constexpr const char* kUniverseColumns =
    "v.id, v.owner_id, v.name, v.description, v.is_public, v.seed, v.created_at, v.updated_at";

Universe read_universe(const Statement& row) {
  Universe universe;
  universe.id = id_string(row.int64(0));
  universe.owner_id = id_string(row.int64(1));
  universe.name = row.text(2);
  universe.description = row.text(3);
  universe.is_public = row.int64(4) != 0;
  universe.seed = std::bit_cast<std::uint64_t>(row.int64(5));
  universe.created_at = row.int64(6);
  universe.updated_at = row.int64(7);
  return universe;
}

// The columns of kHistoryLog.select, in order.
HistoryEntry read_history(const Statement& row) {
  HistoryEntry entry;
  entry.seq = row.int64(0);
  entry.timestamp = row.int64(1);
  entry.user_id = id_string(row.int64(2));
  entry.kind = row.text(3);
  entry.category = row.optional_text(4);
  entry.changes = from_json_text(row.text(5), "history.changes_json");
  return entry;
}

// The columns of kMessageLog.select, in order.
ChatMessage read_message(const Statement& row) {
  return ChatMessage{id_string(row.int64(0)), id_string(row.int64(1)), id_string(row.int64(2)),
                     row.text(3),             row.text(4),             row.int64(5)};
}

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (auto part : parts) {
    text += part;
  }
  return text;
}

// The history and the chat are both logs of one universe, keyed by a number that grows
// in the order rows were stored (history.seq, messages.id), with an index by time. Their
// reads have one shape each, written here once.
struct LogTable {
  std::string_view select;       // "SELECT <columns> FROM ... WHERE <universe> = ?1"
  std::string_view key;          // the growing number
  std::string_view timestamp;    // its timestamp column
  std::string_view first_newer;  // MIN(key) of the rows with timestamp > ?2, through the time index
};

constexpr LogTable kHistoryLog = {
    "SELECT seq, timestamp, user_id, kind, category, changes_json FROM history WHERE universe_id = ?1", "seq",
    "timestamp", "SELECT MIN(seq) FROM history INDEXED BY history_by_time WHERE universe_id = ?1 AND timestamp > ?2"};

constexpr LogTable kMessageLog = {
    "SELECT m.id, m.universe_id, m.user_id, u.username, m.message, m.timestamp FROM messages m "
    "JOIN users u ON u.id = m.user_id WHERE m.universe_id = ?1",
    "m.id", "m.timestamp",
    "SELECT MIN(id) FROM messages INDEXED BY messages_by_time WHERE universe_id = ?1 AND timestamp > ?2"};

template <typename Row>
std::vector<Row> read_rows(Statement& query, Row (*read_row)(const Statement&)) {
  std::vector<Row> rows;
  while (query.step()) rows.push_back(read_row(query));
  return rows;
}

// The newest `limit` rows, oldest first.
template <typename Row>
std::vector<Row> latest_rows(sqlite::StatementCache& statements, const LogTable& log, std::int64_t universe, int limit,
                             Row (*read_row)(const Statement&)) {
  // Newest first to apply the limit, then reversed: callers want the log in order.
  auto query = statements.use(sql({log.select, " ORDER BY ", log.key, " DESC LIMIT ?2"}));
  query->bind(1, universe).bind(2, std::int64_t{limit});
  auto rows = read_rows(*query, read_row);
  std::reverse(rows.begin(), rows.end());
  return rows;
}

// Rows with timestamp > after_timestamp and key > after_key, in key order, at most `limit`.
template <typename Row>
std::vector<Row> page_rows(sqlite::StatementCache& statements, const LogTable& log, std::int64_t universe,
                           std::int64_t after_timestamp, std::int64_t after_key, int limit,
                           Row (*read_row)(const Statement&)) {
  if (after_key <= 0) {
    // The first page: the log is keyed by its number, so walking it from 1 to the first
    // row newer than after_timestamp would read every older row. The timestamp index
    // finds the lowest key among the newer ones instead (exact even if a clock went back).
    auto first = statements.use(std::string(log.first_newer));
    first->bind(1, universe).bind(2, after_timestamp);
    if (!first->step() || first->is_null(0)) return {};
    after_key = first->int64(0) - 1;
  }
  auto query = statements.use(sql({log.select, " AND ", log.key, " > ?2 AND ", log.timestamp, " > ?3 ORDER BY ",
                                   log.key, " LIMIT ?4"}));
  query->bind(1, universe).bind(2, after_key).bind(3, after_timestamp).bind(4, std::int64_t{limit});
  return read_rows(*query, read_row);
}


}  // namespace

// --- opening ---

SqliteStore::SqliteStore(const std::string& path, SqliteOptions options)
    : db_(path), statements_(db_), retention_(options.retention) {
  sqlite3_busy_timeout(db_.get(), static_cast<int>(options.busy_timeout.count()));
  const bool on_disk = path != ":memory:";
  // Before WAL mode is set: SQLite creates the -wal and -shm files with the database
  // file's mode, so they start private too.
  const auto keep_private = [this](const std::string& file) {
    if (auto change = make_private_file(file)) permission_changes_.push_back(std::move(*change));
  };
  if (on_disk) keep_private(path);
  // journal_mode answers with the mode in force: "wal" for a file, "memory" for :memory:.
  // Anything else means WAL could not be enabled (e.g. a read-only directory), and the
  // durability promises in the header would not hold.
  const auto mode = db_.query_text("PRAGMA journal_mode = WAL").value_or("");
  if (mode != "wal" && path != ":memory:") {
    throw StorageError("cannot enable WAL mode on '" + path + "' (journal_mode is '" + mode + "')");
  }
  db_.exec(options.synchronous == SqliteOptions::Synchronous::full ? "PRAGMA synchronous = FULL"
                                                                   : "PRAGMA synchronous = NORMAL");
  // SQLite's default page cache is 2 MB. Every parameter change appends to the history
  // table and its timestamp index, at one spot per universe, so with a few hundred busy
  // universes the hot pages alone outgrow it and each commit re-reads pages with pread.
  // The cache grows only as pages are used; 32 MB is the most it will take.
  db_.exec("PRAGMA cache_size = -32768");
  // Off by default in SQLite, per connection, and ignored inside a transaction: set it
  // here, before anything else runs, and check it took (cascading deletes depend on it).
  db_.exec("PRAGMA foreign_keys = ON");
  if (db_.query_int("PRAGMA foreign_keys") != 1) {
    throw StorageError("this SQLite build does not enforce foreign keys");
  }
  migrate(db_);
  if (on_disk) {
    // In case SQLite only created the file on first write, and for -wal and -shm files
    // left by an older server (or a crash) with another mode.
    keep_private(path);
    keep_private(path + "-wal");
    keep_private(path + "-shm");
  }
  if (path != ":memory:") checkpointer_ = std::make_unique<WalCheckpointer>(db_.get(), path);
}

int SqliteStore::schema_version() { return storage::schema_version(db_); }

std::int64_t SqliteStore::pragma_value(const std::string& name) {
  // PRAGMA names cannot be bound as parameters; allow only identifiers into the text.
  const bool identifier = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!identifier) {
    throw StorageError("not a PRAGMA name: '" + name + "'");
  }
  return db_.query_int("PRAGMA " + name);
}

// --- users ---

std::optional<User> SqliteStore::create_user(const std::string& username, const std::string& email,
                                             const std::string& password_hash, std::int64_t now) {
  auto insert =
      statements_.use("INSERT INTO users (username, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)");
  insert->bind(1, username).bind(2, email).bind(3, password_hash).bind(4, now);
  try {
    insert->run();
  } catch (const sqlite::SqliteError& error) {
    if (error.extended_code() == SQLITE_CONSTRAINT_UNIQUE) {
      return std::nullopt;  // the username is taken, in some spelling of its case
    }
    throw;
  }
  return User{id_string(db_.last_insert_rowid()), username, email, password_hash, now};
}

std::optional<User> SqliteStore::find_user(const std::string& id) {
  const auto key = parse_id(id);
  if (!key) {
    return std::nullopt;
  }
  auto query = statements_.use(sql({"SELECT ", kUserColumns, " FROM users u WHERE u.id = ?1"}));
  query->bind(1, *key);
  if (!query->step()) {
    return std::nullopt;
  }
  return read_user(*query);
}

std::optional<User> SqliteStore::find_user_by_name(const std::string& username) {
  // The column is COLLATE NOCASE, so = compares without regard to (ASCII) case.
  auto query = statements_.use(sql({"SELECT ", kUserColumns, " FROM users u WHERE u.username = ?1"}));
  query->bind(1, username);
  if (!query->step()) {
    return std::nullopt;
  }
  return read_user(*query);
}

std::optional<User> SqliteStore::change_password(const std::string& user_id, const std::string& password_hash) {
  const auto key = parse_id(user_id);
  if (!key) {
    return std::nullopt;
  }
  auto update = statements_.use(
      "UPDATE users SET password_hash = ?2, token_generation = token_generation + 1 WHERE id = ?1");
  update->bind(1, *key).bind(2, password_hash);
  update->run();
  return find_user(user_id);
}

// --- revoked tokens ---

void SqliteStore::revoke_token(const std::string& token_id, std::int64_t expires_at, std::int64_t now) {
  sqlite::Transaction transaction(db_);
  auto forget = statements_.use("DELETE FROM revoked_tokens WHERE expires_at <= ?1");
  forget->bind(1, now);
  forget->run();
  if (expires_at > now) {
    auto insert = statements_.use(
        "INSERT INTO revoked_tokens (token_id, expires_at) VALUES (?1, ?2) "
        "ON CONFLICT (token_id) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)");
    insert->bind(1, token_id).bind(2, expires_at);
    insert->run();
  }
  transaction.commit();
}

bool SqliteStore::is_token_revoked(const std::string& token_id) {
  auto query = statements_.use("SELECT 1 FROM revoked_tokens WHERE token_id = ?1");
  query->bind(1, token_id);
  return query->step();
}

// Both take their whole list as one JSON array parameter, read by json_each, so one
// prepared statement serves any number of ids (no statement per list length, no query
// per id). User ids go in as integers, so they compare with the INTEGER key as numbers.
std::set<std::string> SqliteStore::revoked_among(const std::vector<std::string>& token_ids) {
  std::set<std::string> revoked;
  if (token_ids.empty()) return revoked;
  auto query = statements_.use(
      "SELECT token_id FROM revoked_tokens WHERE token_id IN (SELECT value FROM json_each(?1))");
  query->bind(1, to_json_text(token_ids));
  while (query->step()) revoked.insert(query->text(0));
  return revoked;
}

std::map<std::string, std::int64_t> SqliteStore::token_generations(const std::vector<std::string>& user_ids) {
  std::map<std::string, std::int64_t> generations;
  auto keys = nlohmann::json::array();
  for (const auto& id : user_ids) {
    if (const auto key = parse_id(id)) keys.push_back(*key);
  }
  if (keys.empty()) return generations;
  auto query = statements_.use(
      "SELECT id, token_generation FROM users WHERE id IN (SELECT value FROM json_each(?1))");
  query->bind(1, keys.dump());
  while (query->step()) generations.emplace(id_string(query->int64(0)), query->int64(1));
  return generations;
}

// --- universes ---

Universe SqliteStore::create_universe(const std::string& owner_id, const std::string& name,
                                      const std::string& description, bool is_public, std::uint64_t seed,
                                      const nlohmann::json& parameters, std::int64_t now) {
  if (!parameters.is_object()) {
    throw StorageError("create_universe: parameters must be a JSON object of categories");
  }
  const auto owner = parse_id(owner_id);
  if (!owner) {
    throw StorageError("create_universe: owner id '" + owner_id + "' is not a valid id");
  }
  sqlite::Transaction transaction(db_);
  std::int64_t id = 0;
  {
    auto insert = statements_.use(
        "INSERT INTO universes (owner_id, name, description, is_public, seed, created_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
    insert->bind(1, *owner).bind(2, name).bind(3, description).bind(4, std::int64_t{is_public ? 1 : 0});
    insert->bind(5, std::bit_cast<std::int64_t>(seed)).bind(6, now);
    insert->run();
    id = db_.last_insert_rowid();
  }
  for (const auto& [category, values] : parameters.items()) {
    auto put = statements_.use(
        "INSERT INTO universe_parameters (universe_id, category, values_json) VALUES (?1, ?2, ?3)");
    put->bind(1, id).bind(2, category).bind(3, to_json_text(values));
    put->run();
  }
  transaction.commit();
  return Universe{id_string(id), owner_id, name, description, is_public, seed, now, now};
}

std::optional<Universe> SqliteStore::find_universe(const std::string& id) {
  const auto key = parse_id(id);
  if (!key) {
    return std::nullopt;
  }
  auto query = statements_.use(sql({"SELECT ", kUniverseColumns, " FROM universes v WHERE v.id = ?1"}));
  query->bind(1, *key);
  if (!query->step()) {
    return std::nullopt;
  }
  return read_universe(*query);
}

UniversePage SqliteStore::list_universes_visible_to(const std::string& user_id, int limit,
                                                    const std::optional<std::string>& older_than_id) {
  const auto user = parse_id(user_id);
  const auto older_than = older_than_id ? parse_id(*older_than_id) : std::optional<std::int64_t>(
                                                                          std::numeric_limits<std::int64_t>::max());
  if (!user || !older_than || limit <= 0) {
    return {};
  }
  // Keyset pagination, newest first by id. The page is the newest limit + 1 ids of three
  // sources, each read in id order from its own index and cut at limit + 1: own
  // (universes_by_owner), shared (collaborators_by_user), public (universes_public_by_id).
  // So a page reads about three pages of index entries however many universes exist,
  // including ones the user cannot see. The role comes from the source (the strongest
  // when a universe is in several); the rows from one lookup each by primary key.
  auto query = statements_.use(sql({
      "SELECT ", kUniverseColumns, ", picked.role FROM (",
      "  SELECT id, MAX(role) AS role FROM (",
      "    SELECT * FROM (SELECT id, 3 AS role FROM universes WHERE owner_id = ?1 AND id < ?2",
      "                   ORDER BY id DESC LIMIT ?3)",
      "    UNION ALL",
      "    SELECT * FROM (SELECT universe_id AS id, 2 AS role FROM collaborators WHERE user_id = ?1 AND universe_id < ?2",
      "                   ORDER BY universe_id DESC LIMIT ?3)",
      "    UNION ALL",
      "    SELECT * FROM (SELECT id, 1 AS role FROM universes INDEXED BY universes_public_by_id",
      "                   WHERE is_public = 1 AND id < ?2 ORDER BY id DESC LIMIT ?3)",
      "  ) GROUP BY id ORDER BY id DESC LIMIT ?3",
      ") picked JOIN universes v ON v.id = picked.id",
      " WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1)",
      " ORDER BY v.id DESC",
  }));
  query->bind(1, *user).bind(2, *older_than).bind(3, std::int64_t{limit} + 1);
  UniversePage page;
  while (query->step()) {
    if (page.universes.size() == static_cast<std::size_t>(limit)) {
      page.next_older_than_id = page.universes.back().universe.id;  // one more exists
      break;
    }
    const auto role = query->int64(8);
    page.universes.push_back({read_universe(*query), role == 3   ? Role::owner
                                                     : role == 2 ? Role::collaborator
                                                                 : Role::viewer});
  }
  return page;
}

std::int64_t SqliteStore::count_universes_owned_by(const std::string& user_id) {
  const auto user = parse_id(user_id);
  if (!user) {
    return 0;
  }
  auto query = statements_.use("SELECT COUNT(*) FROM universes WHERE owner_id = ?1");
  query->bind(1, *user);
  query->step();
  return query->int64(0);
}

bool SqliteStore::delete_universe(const std::string& id) {
  const auto key = parse_id(id);
  if (!key) {
    return false;
  }
  // Parameters, history, messages and collaborators go with it: ON DELETE CASCADE, in the
  // same implicit transaction as this statement.
  auto erase = statements_.use("DELETE FROM universes WHERE id = ?1");
  erase->bind(1, *key);
  erase->run();
  last_seq_.erase(*key);
  return db_.changes() > 0;
}

Role SqliteStore::role_of(const std::string& universe_id, const std::string& user_id) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe || !user) {
    return Role::none;
  }
  auto query = statements_.use(
      "SELECT v.owner_id = ?2,"
      "       EXISTS (SELECT 1 FROM collaborators c WHERE c.universe_id = v.id AND c.user_id = ?2),"
      "       v.is_public,"
      "       EXISTS (SELECT 1 FROM users WHERE id = ?2)"
      "  FROM universes v WHERE v.id = ?1");
  query->bind(1, *universe).bind(2, *user);
  if (!query->step()) {
    return Role::none;
  }
  if (query->int64(0) != 0) {
    return Role::owner;
  }
  if (query->int64(1) != 0) {
    return Role::collaborator;
  }
  if (query->int64(2) != 0 && query->int64(3) != 0) {
    return Role::viewer;
  }
  return Role::none;
}

// --- collaborators ---

bool SqliteStore::add_collaborator(const std::string& universe_id, const std::string& user_id) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe || !user) {
    return false;
  }
  // The existence checks keep a missing universe or user a plain `false` rather than a
  // foreign-key error; OR IGNORE makes "already a collaborator" a `false` as well.
  auto insert = statements_.use(
      "INSERT OR IGNORE INTO collaborators (universe_id, user_id)"
      " SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM universes WHERE id = ?1)"
      "                 AND EXISTS (SELECT 1 FROM users WHERE id = ?2)");
  insert->bind(1, *universe).bind(2, *user);
  insert->run();
  return db_.changes() > 0;
}

bool SqliteStore::remove_collaborator(const std::string& universe_id, const std::string& user_id) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe || !user) {
    return false;
  }
  auto erase = statements_.use("DELETE FROM collaborators WHERE universe_id = ?1 AND user_id = ?2");
  erase->bind(1, *universe).bind(2, *user);
  erase->run();
  return db_.changes() > 0;
}

std::vector<User> SqliteStore::list_collaborators(const std::string& universe_id) {
  const auto universe = parse_id(universe_id);
  if (!universe) {
    return {};
  }
  auto query = statements_.use(sql({"SELECT ", kUserColumns,
                                    " FROM collaborators c JOIN users u ON u.id = c.user_id"
                                    " WHERE c.universe_id = ?1 ORDER BY u.username"}));
  query->bind(1, *universe);
  std::vector<User> users;
  while (query->step()) {
    users.push_back(read_user(*query));
  }
  return users;
}

// --- parameters and history ---

nlohmann::json SqliteStore::load_parameters(const std::string& universe_id) {
  auto parameters = nlohmann::json::object();
  const auto universe = parse_id(universe_id);
  if (!universe) {
    return parameters;
  }
  auto query = statements_.use("SELECT category, values_json FROM universe_parameters WHERE universe_id = ?1");
  query->bind(1, *universe);
  while (query->step()) {
    parameters[query->text(0)] = from_json_text(query->text(1), "universe_parameters.values_json");
  }
  return parameters;
}

std::vector<HistoryEntry> SqliteStore::commit(const UniverseChange& change) {
  const auto universe = parse_id(change.universe_id);
  if (!universe) {
    throw UniverseNotFound(change.universe_id);
  }
  // Convert every id before the transaction starts, so bad input fails before any write.
  std::vector<std::int64_t> history_users;
  for (const auto& entry : change.history) {
    const auto user = parse_id(entry.user_id);
    if (!user) {
      throw StorageError("commit: history user id '" + entry.user_id + "' is not a valid id");
    }
    history_users.push_back(*user);
  }

  // Whatever fails undoes this change, and maybe (disk full, I/O) the whole batch: the
  // remembered sequence numbers may then run ahead of the file, so they are forgotten.
  try {
    sqlite::Transaction transaction(db_);
    if (!change.name && !change.description && !change.is_public) {
      // A parameter change touches only updated_at. Not naming is_public in SET matters:
      // SQLite would otherwise rewrite the universe's entry in the partial index on it.
      auto touch = statements_.use("UPDATE universes SET updated_at = MAX(updated_at, ?2) WHERE id = ?1");
      touch->bind(1, *universe).bind(2, change.timestamp);
      touch->run();
    } else {
      // One statement both proves the universe exists and applies the field changes;
      // updated_at only moves forward, whatever clock the caller uses.
      auto update = statements_.use(
          "UPDATE universes SET name = COALESCE(?2, name), description = COALESCE(?3, description),"
          " is_public = COALESCE(?4, is_public), updated_at = MAX(updated_at, ?5) WHERE id = ?1");
      update->bind(1, *universe).bind_optional(2, change.name).bind_optional(3, change.description);
      if (change.is_public) {
        update->bind(4, std::int64_t{*change.is_public ? 1 : 0});
      } else {
        update->bind_null(4);
      }
      update->bind(5, change.timestamp);
      update->run();
    }
    if (db_.changes() == 0) {
      throw UniverseNotFound(change.universe_id);  // the transaction guard rolls back
    }
    if (!change.expected_parameters.empty()) {
      // Inside the write transaction: nobody else can change the values before ours land.
      std::map<std::string, nlohmann::json> committed;
      auto query = statements_.use("SELECT category, values_json FROM universe_parameters WHERE universe_id = ?1");
      query->bind(1, *universe);
      while (query->step()) committed[query->text(0)] = from_json_text(query->text(1), "universe_parameters.values_json");
      if (auto conflicts = parameter_conflicts(change.expected_parameters, committed); !conflicts.empty()) {
        throw ParameterConflict(std::move(conflicts));
      }
    }
    for (const auto& [category, values] : change.parameter_sets) {
      auto put = statements_.use(
          change.merge_parameter_sets
              ? "INSERT INTO universe_parameters (universe_id, category, values_json) VALUES (?1, ?2, ?3)"
                " ON CONFLICT (universe_id, category) DO UPDATE SET values_json = json_patch(values_json, excluded.values_json)"
              : "INSERT INTO universe_parameters (universe_id, category, values_json) VALUES (?1, ?2, ?3)"
                " ON CONFLICT (universe_id, category) DO UPDATE SET values_json = excluded.values_json");
      put->bind(1, *universe).bind(2, category).bind(3, to_json_text(values));
      put->run();
    }

    std::int64_t last_seq = last_history_seq(*universe);
    std::vector<HistoryEntry> applied;
    applied.reserve(change.history.size());
    for (std::size_t i = 0; i < change.history.size(); ++i) {
      HistoryEntry entry = change.history[i];
      entry.seq = ++last_seq;
      if (entry.timestamp == 0) {
        entry.timestamp = change.timestamp;
      }
      auto insert = statements_.use(
          "INSERT INTO history (universe_id, seq, timestamp, user_id, kind, category, changes_json)"
          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      insert->bind(1, *universe).bind(2, entry.seq).bind(3, entry.timestamp).bind(4, history_users[i]);
      insert->bind(5, entry.kind).bind_optional(6, entry.category).bind(7, to_json_text(entry.changes));
      insert->run();
      applied.push_back(std::move(entry));
    }
    prune_history(*universe, last_seq - static_cast<std::int64_t>(applied.size()), last_seq);
    transaction.commit();
    last_seq_[*universe] = last_seq;
    return applied;
  } catch (...) {
    last_seq_.clear();
    throw;
  }
}

std::int64_t SqliteStore::last_history_seq(std::int64_t universe) {
  if (const auto known = last_seq_.find(universe); known != last_seq_.end()) return known->second;
  auto query = statements_.use("SELECT COALESCE(MAX(seq), 0) FROM history WHERE universe_id = ?1");
  query->bind(1, universe);
  query->step();
  return query->int64(0);
}

std::vector<HistoryEntry> SqliteStore::latest_history(const std::string& universe_id, int limit) {
  const auto universe = parse_id(universe_id);
  if (!universe || limit <= 0) return {};
  return latest_rows(statements_, kHistoryLog, *universe, limit, read_history);
}

std::vector<HistoryEntry> SqliteStore::history_page(const std::string& universe_id, std::int64_t after_timestamp,
                                                    std::int64_t after_seq, int limit) {
  const auto universe = parse_id(universe_id);
  if (!universe || limit <= 0) return {};
  return page_rows(statements_, kHistoryLog, *universe, after_timestamp, after_seq, limit, read_history);
}

// --- chat ---

ChatMessage SqliteStore::add_message(const std::string& universe_id, const std::string& user_id,
                                     const std::string& message, std::int64_t now) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe) {
    throw UniverseNotFound(universe_id);
  }
  if (!user) {
    throw StorageError("add_message: user id '" + user_id + "' is not a valid id");
  }
  const auto author = find_user(user_id);
  if (!author) {
    throw StorageError("add_message: user " + user_id + " does not exist");
  }
  // The message and the prune it may trigger commit together.
  sqlite::Transaction transaction(db_);
  {
    auto insert = statements_.use("INSERT INTO messages (universe_id, user_id, message, timestamp) VALUES (?1, ?2, ?3, ?4)");
    insert->bind(1, *universe).bind(2, *user).bind(3, message).bind(4, now);
    try {
      insert->run();
    } catch (const sqlite::SqliteError& error) {
      // The author was just found, so a foreign-key failure can only be the universe.
      if (error.extended_code() == SQLITE_CONSTRAINT_FOREIGNKEY) {
        throw UniverseNotFound(universe_id);
      }
      throw;
    }
  }
  const auto id = db_.last_insert_rowid();
  prune_messages(*universe);
  transaction.commit();
  return ChatMessage{id_string(id), universe_id, user_id, author->username, message, now};
}

std::vector<ChatMessage> SqliteStore::latest_messages(const std::string& universe_id, int limit) {
  const auto universe = parse_id(universe_id);
  if (!universe || limit <= 0) return {};
  // Message ids grow in the order messages were stored, which is the order the room saw.
  return latest_rows(statements_, kMessageLog, *universe, limit, read_message);
}

std::vector<ChatMessage> SqliteStore::messages_page(const std::string& universe_id, std::int64_t after_timestamp,
                                                    const std::string& after_id, int limit) {
  const auto universe = parse_id(universe_id);
  const auto after = after_id.empty() ? std::optional<std::int64_t>(0) : parse_id(after_id);
  if (!universe || !after || limit <= 0) return {};
  return page_rows(statements_, kMessageLog, *universe, after_timestamp, *after, limit, read_message);
}

// --- group commit ---

void SqliteStore::begin_batch() {
  if (batch_open()) throw StorageError("begin_batch: a batch is already open");
  db_.exec_prepared("BEGIN IMMEDIATE");
}

void SqliteStore::commit_batch() {
  // Some errors (disk full, I/O) end the transaction by themselves; committing then would
  // fail with a confusing "no transaction is active", and the batch is gone either way.
  if (!batch_open()) {
    last_seq_.clear();
    throw StorageError("commit_batch: the batch was rolled back by an earlier error");
  }
  try {
    db_.exec_prepared("COMMIT");
  } catch (const StorageError&) {
    rollback_batch();  // COMMIT can fail and leave the transaction open (e.g. SQLITE_BUSY)
    throw;
  }
}

void SqliteStore::rollback_batch() noexcept {
  last_seq_.clear();  // they may count history rows that are now gone
  if (batch_open()) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
}

bool SqliteStore::batch_open() const { return db_.in_transaction(); }

// --- retention (retention.hpp) ---

void SqliteStore::prune_history(std::int64_t universe, std::int64_t previous_last_seq, std::int64_t last_seq) {
  const auto every = std::max<std::int64_t>(1, retention_.prune_every);
  if (last_seq <= retention_.history_keep || previous_last_seq / every == last_seq / every) return;
  // A range of the primary key (universe_id, seq): no scan, however long the log.
  auto prune = statements_.use(
      "DELETE FROM history WHERE universe_id = ?1 AND seq <= ?2"
      " AND seq < (SELECT MIN(seq) FROM history WHERE universe_id = ?1) + ?3");
  prune->bind(1, universe).bind(2, last_seq - retention_.history_keep).bind(3, 2 * every);
  prune->run();
}

void SqliteStore::prune_messages(std::int64_t universe) {
  const auto every = std::max<std::int64_t>(1, retention_.prune_every);
  if (++messages_since_prune_[universe] < every) return;
  messages_since_prune_[universe] = 0;
  // The chat_keep-th newest message is found by walking the (universe_id, id) index from
  // its newest end; everything older goes, at most 2 * every rows at a time.
  auto prune = statements_.use(
      "DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE universe_id = ?1 AND id <"
      " (SELECT id FROM messages WHERE universe_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)"
      " ORDER BY id LIMIT ?3)");
  prune->bind(1, universe).bind(2, std::max<std::int64_t>(0, retention_.chat_keep - 1)).bind(3, 2 * every);
  prune->run();
}

// --- write health ---

bool SqliteStore::out_of_space() const { return db_.write_health().out_of_space(); }

std::int64_t SqliteStore::limit_pages(std::int64_t max_pages) {
  return db_.query_int("PRAGMA max_page_count = " + std::to_string(max_pages));
}

// --- settings ---

std::optional<std::string> SqliteStore::get_setting(const std::string& key) {
  auto query = statements_.use("SELECT value FROM settings WHERE key = ?1");
  query->bind(1, key);
  if (!query->step()) {
    return std::nullopt;
  }
  return query->text(0);
}

void SqliteStore::put_setting(const std::string& key, const std::string& value) {
  auto put = statements_.use(
      "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  put->bind(1, key).bind(2, value);
  put->run();
}

std::string SqliteStore::keep_first_setting(const std::string& key, const std::string& value) {
  {
    auto put = statements_.use("INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING");
    put->bind(1, key).bind(2, value);
    put->run();
  }
  return get_setting(key).value_or(value);
}

}  // namespace harmonic::storage
