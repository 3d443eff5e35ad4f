#include "storage/postgres_store.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <limits>

#include "storage/compare_and_set.hpp"
#include "storage/postgres_schema.hpp"

namespace harmonic::storage {

namespace {

using pg::Result;

// --- ids: decimal strings outside, bigint inside (the rules of sqlite_store.cpp) ---

std::optional<std::int64_t> parse_id(const std::string& id) {
  if (id.empty() || id.front() == '0') return std::nullopt;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(id.data(), id.data() + id.size(), value);
  if (error != std::errc() || end != id.data() + id.size() || value <= 0) return std::nullopt;
  return value;
}

std::string id_string(std::int64_t id) { return std::to_string(id); }
std::string number(std::int64_t value) { return std::to_string(value); }

// Refuses what PostgreSQL would refuse, before it is sent (postgres_store.hpp, "Failures").
const std::string& storable(const std::string& text, const char* what) {
  if (!pg::is_storable_text(text)) throw StorageError(std::string(what) + " is not valid UTF-8 text without NUL bytes");
  return text;
}

std::string to_json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json from_json_text(const std::string& text, const char* what) {
  auto value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) throw StorageError(std::string("corrupt JSON in ") + what);
  return value;
}

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (auto part : parts) text += part;
  return text;
}

constexpr const char* kUserColumns = "u.id, u.username, u.email, u.password_hash, u.created_at, u.token_generation";

User read_user(const Result& rows, int row) {
  return User{id_string(rows.int64(row, 0)), rows.text(row, 1), rows.text(row, 2),
              rows.text(row, 3),            rows.int64(row, 4), rows.int64(row, 5)};
}

constexpr const char* kUniverseColumns =
    "v.id, v.owner_id, v.name, v.description, v.is_public, v.seed, v.created_at, v.updated_at";

Universe read_universe(const Result& rows, int row) {
  Universe universe;
  universe.id = id_string(rows.int64(row, 0));
  universe.owner_id = id_string(rows.int64(row, 1));
  universe.name = rows.text(row, 2);
  universe.description = rows.text(row, 3);
  universe.is_public = rows.boolean(row, 4);
  universe.seed = std::bit_cast<std::uint64_t>(rows.int64(row, 5));
  universe.created_at = rows.int64(row, 6);
  universe.updated_at = rows.int64(row, 7);
  return universe;
}

constexpr const char* kHistoryColumns = "seq, timestamp, user_id, kind, category, changes_json";

HistoryEntry read_history(const Result& rows, int row) {
  HistoryEntry entry;
  entry.seq = rows.int64(row, 0);
  entry.timestamp = rows.int64(row, 1);
  entry.user_id = id_string(rows.int64(row, 2));
  entry.kind = rows.text(row, 3);
  entry.category = rows.optional_text(row, 4);
  entry.changes = from_json_text(rows.text(row, 5), "history.changes_json");
  return entry;
}

constexpr const char* kMessageColumns = "m.id, m.universe_id, m.user_id, u.username, m.message, m.timestamp";

ChatMessage read_message(const Result& rows, int row) {
  return ChatMessage{id_string(rows.int64(row, 0)), id_string(rows.int64(row, 1)), id_string(rows.int64(row, 2)),
                     rows.text(row, 3),            rows.text(row, 4),            rows.int64(row, 5)};
}

std::string session_setup(const std::string& schema) {
  if (schema.empty()) return {};
  std::string quoted = "\"";
  for (char c : schema) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  quoted += '"';
  return "CREATE SCHEMA IF NOT EXISTS " + quoted + "; SET search_path TO " + quoted;
}

}  // namespace

PostgresStore::PostgresStore(const std::string& conninfo, PostgresOptions options)
    : conninfo_(conninfo), setup_(session_setup(options.schema)), retention_(options.retention) {
  connections_.push_back(std::make_unique<pg::Connection>(conninfo_, setup_));
  committing_.assign(connections_.size(), false);
  migrate_postgres(connection());
}

PostgresStore::~PostgresStore() { commit_thread_.reset(); }

int PostgresStore::schema_version() { return postgres_schema_version(connection()); }

pg::Connection& PostgresStore::connection() {
  if (!current_) {
    std::unique_lock lock(committing_mutex_);
    commit_returned_.wait(lock, [this] {
      return std::find(committing_.begin(), committing_.end(), false) != committing_.end();
    });
    current_ = static_cast<std::size_t>(std::find(committing_.begin(), committing_.end(), false) - committing_.begin());
  }
  return *connections_[*current_];
}

int PostgresStore::backend_pid() { return static_cast<int>(connection().query("SELECT pg_backend_pid()").int64(0, 0)); }

pg::Result PostgresStore::write(const std::string& statement, const pg::Params& params) {
  if (!connection().in_transaction()) {
    auto result = connection().query(statement, params);  // its own transaction
    connection().committed();
    return result;
  }
  pg::Transaction savepoint(connection());
  auto result = connection().query(statement, params);
  savepoint.commit();
  return result;
}

// --- users ---

std::optional<User> PostgresStore::create_user(const std::string& username, const std::string& email,
                                               const std::string& password_hash, std::int64_t now) {
  try {
    auto row = write("INSERT INTO users (username, email, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                     {storable(username, "username"), storable(email, "email"), storable(password_hash, "password hash"),
                      number(now)});
    return User{id_string(row.int64(0, 0)), username, email, password_hash, now, 0};
  } catch (const pg::PgError& error) {
    if (error.failure() == pg::Failure::unique_violation) return std::nullopt;  // taken, in some case
    throw;
  }
}

std::optional<User> PostgresStore::find_user(const std::string& id) {
  const auto key = parse_id(id);
  if (!key) return std::nullopt;
  auto rows = connection().query(sql({"SELECT ", kUserColumns, " FROM users u WHERE u.id = $1"}), {number(*key)});
  if (rows.rows() == 0) return std::nullopt;
  return read_user(rows, 0);
}

std::optional<User> PostgresStore::find_user_by_name(const std::string& username) {
  if (!pg::is_storable_text(username)) return std::nullopt;  // no stored name is like it
  auto rows = connection().query(
      sql({"SELECT ", kUserColumns, " FROM users u WHERE lower(u.username COLLATE \"C\") = lower($1 COLLATE \"C\")"}),
      {username});
  if (rows.rows() == 0) return std::nullopt;
  return read_user(rows, 0);
}

std::optional<User> PostgresStore::change_password(const std::string& user_id, const std::string& password_hash) {
  const auto key = parse_id(user_id);
  if (!key) return std::nullopt;
  auto rows = write(sql({"UPDATE users u SET password_hash = $2, token_generation = token_generation + 1 WHERE u.id = $1",
                         " RETURNING ", kUserColumns}),
                    {number(*key), storable(password_hash, "password hash")});
  if (rows.rows() == 0) return std::nullopt;
  return read_user(rows, 0);
}

// --- revoked tokens ---

void PostgresStore::revoke_token(const std::string& token_id, std::int64_t expires_at, std::int64_t now) {
  storable(token_id, "token id");
  pg::Transaction transaction(connection());
  connection().query("DELETE FROM revoked_tokens WHERE expires_at <= $1", {number(now)});
  if (expires_at > now) {
    connection().query(
        "INSERT INTO revoked_tokens (token_id, expires_at) VALUES ($1, $2) ON CONFLICT (token_id)"
        " DO UPDATE SET expires_at = GREATEST(revoked_tokens.expires_at, excluded.expires_at)",
        {token_id, number(expires_at)});
  }
  transaction.commit();
}

bool PostgresStore::is_token_revoked(const std::string& token_id) {
  if (!pg::is_storable_text(token_id)) return false;
  return connection().query("SELECT 1 FROM revoked_tokens WHERE token_id = $1", {token_id}).rows() > 0;
}

// Both take their whole list as one jsonb array parameter (the rules of sqlite_store.cpp):
// one statement for any number of ids, no query per id.
std::set<std::string> PostgresStore::revoked_among(const std::vector<std::string>& token_ids) {
  std::set<std::string> revoked;
  auto ids = nlohmann::json::array();
  for (const auto& id : token_ids) {
    if (pg::is_storable_text(id)) ids.push_back(id);  // no other could have been stored
  }
  if (ids.empty()) return revoked;
  auto rows = connection().query(
      "SELECT token_id FROM revoked_tokens WHERE token_id IN (SELECT jsonb_array_elements_text($1::jsonb))",
      {to_json_text(ids)});
  for (int row = 0; row < rows.rows(); ++row) revoked.insert(rows.text(row, 0));
  return revoked;
}

std::map<std::string, std::int64_t> PostgresStore::token_generations(const std::vector<std::string>& user_ids) {
  std::map<std::string, std::int64_t> generations;
  auto keys = nlohmann::json::array();
  for (const auto& id : user_ids) {
    if (const auto key = parse_id(id)) keys.push_back(*key);
  }
  if (keys.empty()) return generations;
  auto rows = connection().query(
      "SELECT id, token_generation FROM users"
      " WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::bigint)",
      {keys.dump()});
  for (int row = 0; row < rows.rows(); ++row) generations.emplace(id_string(rows.int64(row, 0)), rows.int64(row, 1));
  return generations;
}

// --- universes ---

Universe PostgresStore::create_universe(const std::string& owner_id, const std::string& name,
                                        const std::string& description, bool is_public, std::uint64_t seed,
                                        const nlohmann::json& parameters, std::int64_t now) {
  if (!parameters.is_object()) throw StorageError("create_universe: parameters must be a JSON object of categories");
  const auto owner = parse_id(owner_id);
  if (!owner) throw StorageError("create_universe: owner id '" + owner_id + "' is not a valid id");
  for (const auto& [category, values] : parameters.items()) storable(category, "parameter category");
  pg::Transaction transaction(connection());
  auto row = connection().query(
      "INSERT INTO universes (owner_id, name, description, is_public, seed, created_at, updated_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
      {number(*owner), storable(name, "universe name"), storable(description, "universe description"),
       std::string(is_public ? "true" : "false"), number(std::bit_cast<std::int64_t>(seed)), number(now)});
  const auto id = row.int64(0, 0);
  for (const auto& [category, values] : parameters.items()) {
    connection().query("INSERT INTO universe_parameters (universe_id, category, values_json) VALUES ($1, $2, $3)",
                      {number(id), category, to_json_text(values)});
  }
  transaction.commit();
  return Universe{id_string(id), owner_id, name, description, is_public, seed, now, now};
}

std::optional<Universe> PostgresStore::find_universe(const std::string& id) {
  const auto key = parse_id(id);
  if (!key) return std::nullopt;
  auto rows = connection().query(sql({"SELECT ", kUniverseColumns, " FROM universes v WHERE v.id = $1"}), {number(*key)});
  if (rows.rows() == 0) return std::nullopt;
  return read_universe(rows, 0);
}

UniversePage PostgresStore::list_universes_visible_to(const std::string& user_id, int limit,
                                                      const std::optional<std::string>& older_than_id) {
  const auto user = parse_id(user_id);
  const auto older_than =
      older_than_id ? parse_id(*older_than_id) : std::optional<std::int64_t>(std::numeric_limits<std::int64_t>::max());
  if (!user || !older_than || limit <= 0) return {};
  // Keyset pagination as in SqliteStore::list_universes_visible_to: the newest limit + 1
  // ids of three index-ordered sources (universes_by_owner, collaborators_by_user,
  // universes_public_by_id), the strongest role per universe.
  auto rows = connection().query(
      sql({"SELECT ", kUniverseColumns, ", picked.role FROM (",
           "  SELECT id, MAX(role) AS role FROM (",
           "    (SELECT id, 3 AS role FROM universes WHERE owner_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3)",
           "    UNION ALL",
           "    (SELECT universe_id, 2 FROM collaborators WHERE user_id = $1 AND universe_id < $2",
           "     ORDER BY universe_id DESC LIMIT $3)",
           "    UNION ALL",
           "    (SELECT id, 1 FROM universes WHERE is_public AND id < $2 ORDER BY id DESC LIMIT $3)",
           "  ) sources GROUP BY id ORDER BY id DESC LIMIT $3",
           ") picked JOIN universes v ON v.id = picked.id",
           " WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)",
           " ORDER BY v.id DESC"}),
      {number(*user), number(*older_than), number(std::int64_t{limit} + 1)});
  UniversePage page;
  for (int row = 0; row < rows.rows(); ++row) {
    if (page.universes.size() == static_cast<std::size_t>(limit)) {
      page.next_older_than_id = page.universes.back().universe.id;  // one more exists
      break;
    }
    const auto role = rows.int64(row, 8);
    page.universes.push_back({read_universe(rows, row), role == 3   ? Role::owner
                                                        : role == 2 ? Role::collaborator
                                                                    : Role::viewer});
  }
  return page;
}

std::int64_t PostgresStore::count_universes_owned_by(const std::string& user_id) {
  const auto user = parse_id(user_id);
  if (!user) return 0;
  return connection().query("SELECT COUNT(*) FROM universes WHERE owner_id = $1", {number(*user)}).int64(0, 0);
}

bool PostgresStore::delete_universe(const std::string& id) {
  const auto key = parse_id(id);
  if (!key) return false;
  // Parameters, history, messages and collaborators go with it: ON DELETE CASCADE.
  return write("DELETE FROM universes WHERE id = $1", {number(*key)}).affected() > 0;
}

Role PostgresStore::role_of(const std::string& universe_id, const std::string& user_id) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe || !user) return Role::none;
  auto rows = connection().query(
      "SELECT v.owner_id = $2,"
      "       EXISTS (SELECT 1 FROM collaborators c WHERE c.universe_id = v.id AND c.user_id = $2),"
      "       v.is_public,"
      "       EXISTS (SELECT 1 FROM users WHERE id = $2)"
      "  FROM universes v WHERE v.id = $1",
      {number(*universe), number(*user)});
  if (rows.rows() == 0) return Role::none;
  if (rows.boolean(0, 0)) return Role::owner;
  if (rows.boolean(0, 1)) return Role::collaborator;
  if (rows.boolean(0, 2) && rows.boolean(0, 3)) return Role::viewer;
  return Role::none;
}

// --- collaborators ---

bool PostgresStore::add_collaborator(const std::string& universe_id, const std::string& user_id) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe || !user) return false;
  try {
    return write("INSERT INTO collaborators (universe_id, user_id)"
                 " SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM universes WHERE id = $1)"
                 "                 AND EXISTS (SELECT 1 FROM users WHERE id = $2)"
                 " ON CONFLICT DO NOTHING",
                 {number(*universe), number(*user)})
               .affected() > 0;
  } catch (const pg::PgError& error) {
    // Deleted by another node between the check and the insert.
    if (error.failure() == pg::Failure::foreign_key_violation) return false;
    throw;
  }
}

bool PostgresStore::remove_collaborator(const std::string& universe_id, const std::string& user_id) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe || !user) return false;
  return write("DELETE FROM collaborators WHERE universe_id = $1 AND user_id = $2", {number(*universe), number(*user)})
             .affected() > 0;
}

std::vector<User> PostgresStore::list_collaborators(const std::string& universe_id) {
  const auto universe = parse_id(universe_id);
  if (!universe) return {};
  // COLLATE "C": the byte order SQLite's BINARY collation gives.
  auto rows = connection().query(sql({"SELECT ", kUserColumns,
                                     " FROM collaborators c JOIN users u ON u.id = c.user_id"
                                     " WHERE c.universe_id = $1 ORDER BY u.username COLLATE \"C\""}),
                                {number(*universe)});
  std::vector<User> users;
  for (int row = 0; row < rows.rows(); ++row) users.push_back(read_user(rows, row));
  return users;
}

// --- parameters and history ---

nlohmann::json PostgresStore::load_parameters(const std::string& universe_id) {
  auto parameters = nlohmann::json::object();
  const auto universe = parse_id(universe_id);
  if (!universe) return parameters;
  auto rows = connection().query("SELECT category, values_json FROM universe_parameters WHERE universe_id = $1",
                                {number(*universe)});
  for (int row = 0; row < rows.rows(); ++row) {
    parameters[rows.text(row, 0)] = from_json_text(rows.text(row, 1), "universe_parameters.values_json");
  }
  return parameters;
}

std::vector<HistoryEntry> PostgresStore::commit(const UniverseChange& change) {
  const auto universe = parse_id(change.universe_id);
  if (!universe) throw UniverseNotFound(change.universe_id);
  // Every input checked before the transaction starts, so bad input fails before any write.
  std::vector<std::int64_t> history_users;
  for (const auto& entry : change.history) {
    const auto user = parse_id(entry.user_id);
    if (!user) throw StorageError("commit: history user id '" + entry.user_id + "' is not a valid id");
    history_users.push_back(*user);
    storable(entry.kind, "history kind");
    if (entry.category) storable(*entry.category, "history category");
  }
  if (change.name) storable(*change.name, "universe name");
  if (change.description) storable(*change.description, "universe description");
  for (const auto& [category, values] : change.parameter_sets) storable(category, "parameter category");

  const auto count = static_cast<std::int64_t>(change.history.size());
  pg::Transaction transaction(connection());
  // The first statement takes the universe's row lock, held to the end of the transaction
  // (the batch's COMMIT): the seqs it hands out are this change's alone, and no other
  // writer changes the universe's parameters until then. updated_at only moves forward.
  pg::Params fields{number(*universe), change.name, change.description, std::nullopt, number(change.timestamp),
                    number(count)};
  if (change.is_public) fields[3] = *change.is_public ? "true" : "false";
  auto updated = connection().query(
      "UPDATE universes SET name = COALESCE($2, name), description = COALESCE($3, description),"
      " is_public = COALESCE($4::boolean, is_public), updated_at = GREATEST(updated_at, $5::bigint),"
      " last_seq = last_seq + $6::bigint WHERE id = $1 RETURNING last_seq",
      fields);
  if (updated.rows() == 0) throw UniverseNotFound(change.universe_id);  // the guard rolls back
  const auto last_seq = updated.int64(0, 0);

  if (!change.expected_parameters.empty()) {
    std::map<std::string, nlohmann::json> committed;
    auto rows = connection().query("SELECT category, values_json FROM universe_parameters WHERE universe_id = $1",
                                  {number(*universe)});
    for (int row = 0; row < rows.rows(); ++row) {
      committed[rows.text(row, 0)] = from_json_text(rows.text(row, 1), "universe_parameters.values_json");
    }
    if (auto conflicts = parameter_conflicts(change.expected_parameters, committed); !conflicts.empty()) {
      throw ParameterConflict(std::move(conflicts));
    }
  }
  for (const auto& [category, values] : change.parameter_sets) {
    connection().query(
        change.merge_parameter_sets
            ? "INSERT INTO universe_parameters (universe_id, category, values_json) VALUES ($1, $2, $3)"
              " ON CONFLICT (universe_id, category) DO UPDATE"
              " SET values_json = (universe_parameters.values_json::jsonb || excluded.values_json::jsonb)::text"
            : "INSERT INTO universe_parameters (universe_id, category, values_json) VALUES ($1, $2, $3)"
              " ON CONFLICT (universe_id, category) DO UPDATE SET values_json = excluded.values_json",
        {number(*universe), category, to_json_text(values)});
  }

  std::vector<HistoryEntry> applied;
  applied.reserve(change.history.size());
  for (std::size_t i = 0; i < change.history.size(); ++i) {
    HistoryEntry entry = change.history[i];
    entry.seq = last_seq - count + 1 + static_cast<std::int64_t>(i);
    if (entry.timestamp == 0) entry.timestamp = change.timestamp;
    connection().query(
        "INSERT INTO history (universe_id, seq, timestamp, user_id, kind, category, changes_json)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {number(*universe), number(entry.seq), number(entry.timestamp), number(history_users[i]), entry.kind,
         entry.category, to_json_text(entry.changes)});
    applied.push_back(std::move(entry));
  }
  prune_history(*universe, last_seq - count, last_seq);
  transaction.commit();
  return applied;
}

std::vector<HistoryEntry> PostgresStore::latest_history(const std::string& universe_id, int limit) {
  const auto universe = parse_id(universe_id);
  if (!universe || limit <= 0) return {};
  auto rows = connection().query(
      sql({"SELECT ", kHistoryColumns, " FROM history WHERE universe_id = $1 ORDER BY seq DESC LIMIT $2"}),
      {number(*universe), number(limit)});
  std::vector<HistoryEntry> entries;
  for (int row = rows.rows() - 1; row >= 0; --row) entries.push_back(read_history(rows, row));
  return entries;
}

std::vector<HistoryEntry> PostgresStore::history_page(const std::string& universe_id, std::int64_t after_timestamp,
                                                      std::int64_t after_seq, int limit) {
  const auto universe = parse_id(universe_id);
  if (!universe || limit <= 0) return {};
  if (after_seq <= 0) {
    // The first page starts at the lowest seq newer than after_timestamp, found through
    // history_by_time rather than by walking the log from seq 1 (see SqliteStore).
    auto first = connection().query("SELECT MIN(seq) FROM history WHERE universe_id = $1 AND timestamp > $2",
                                   {number(*universe), number(after_timestamp)});
    if (first.is_null(0, 0)) return {};
    after_seq = first.int64(0, 0) - 1;
  }
  auto rows = connection().query(sql({"SELECT ", kHistoryColumns, " FROM history",
                                     " WHERE universe_id = $1 AND seq > $2 AND timestamp > $3 ORDER BY seq LIMIT $4"}),
                                {number(*universe), number(after_seq), number(after_timestamp), number(limit)});
  std::vector<HistoryEntry> entries;
  for (int row = 0; row < rows.rows(); ++row) entries.push_back(read_history(rows, row));
  return entries;
}

// --- chat ---

ChatMessage PostgresStore::add_message(const std::string& universe_id, const std::string& user_id,
                                       const std::string& message, std::int64_t now) {
  const auto universe = parse_id(universe_id);
  const auto user = parse_id(user_id);
  if (!universe) throw UniverseNotFound(universe_id);
  if (!user) throw StorageError("add_message: user id '" + user_id + "' is not a valid id");
  storable(message, "chat message");
  const auto author = find_user(user_id);
  if (!author) throw StorageError("add_message: user " + user_id + " does not exist");
  pg::Transaction transaction(connection());  // the message and the prune it may trigger
  std::int64_t id = 0;
  try {
    id = connection().query("INSERT INTO messages (universe_id, user_id, message, timestamp) VALUES ($1, $2, $3, $4)"
                           " RETURNING id",
                           {number(*universe), number(*user), message, number(now)})
             .int64(0, 0);
  } catch (const pg::PgError& error) {
    // The author was just found, so a foreign-key failure can only be the universe.
    if (error.failure() == pg::Failure::foreign_key_violation) throw UniverseNotFound(universe_id);
    throw;
  }
  prune_messages(*universe);
  transaction.commit();
  return ChatMessage{id_string(id), universe_id, user_id, author->username, message, now};
}

std::vector<ChatMessage> PostgresStore::latest_messages(const std::string& universe_id, int limit) {
  const auto universe = parse_id(universe_id);
  if (!universe || limit <= 0) return {};
  auto rows = connection().query(sql({"SELECT ", kMessageColumns, " FROM messages m JOIN users u ON u.id = m.user_id",
                                     " WHERE m.universe_id = $1 ORDER BY m.id DESC LIMIT $2"}),
                                {number(*universe), number(limit)});
  std::vector<ChatMessage> messages;
  for (int row = rows.rows() - 1; row >= 0; --row) messages.push_back(read_message(rows, row));
  return messages;
}

std::vector<ChatMessage> PostgresStore::messages_page(const std::string& universe_id, std::int64_t after_timestamp,
                                                      const std::string& after_id, int limit) {
  const auto universe = parse_id(universe_id);
  auto after = after_id.empty() ? std::optional<std::int64_t>(0) : parse_id(after_id);
  if (!universe || !after || limit <= 0) return {};
  if (*after <= 0) {
    auto first = connection().query("SELECT MIN(id) FROM messages WHERE universe_id = $1 AND timestamp > $2",
                                   {number(*universe), number(after_timestamp)});
    if (first.is_null(0, 0)) return {};
    after = first.int64(0, 0) - 1;
  }
  auto rows = connection().query(
      sql({"SELECT ", kMessageColumns, " FROM messages m JOIN users u ON u.id = m.user_id",
           " WHERE m.universe_id = $1 AND m.id > $2 AND m.timestamp > $3 ORDER BY m.id LIMIT $4"}),
      {number(*universe), number(*after), number(after_timestamp), number(limit)});
  std::vector<ChatMessage> messages;
  for (int row = 0; row < rows.rows(); ++row) messages.push_back(read_message(rows, row));
  return messages;
}

// --- group commit ---

void PostgresStore::begin_batch() {
  if (batch_open()) throw StorageError("begin_batch: a batch is already open");
  connection().exec("BEGIN");
}

void PostgresStore::commit_on(pg::Connection& connection) {
  if (!connection.in_transaction()) throw StorageError("commit_batch: the batch was rolled back by an earlier error");
  // COMMIT of a failed transaction "succeeds" as a ROLLBACK: never report that as stored.
  if (connection.transaction_failed()) {
    connection.exec("ROLLBACK");
    throw StorageError("commit_batch: the batch failed part-way and was rolled back");
  }
  try {
    connection.exec("COMMIT");
  } catch (const StorageError&) {
    try {
      if (connection.in_transaction()) connection.exec("ROLLBACK");
    } catch (const StorageError&) {
      // The connection is gone; the server has rolled back already.
    }
    throw;
  }
  connection.committed();
}

void PostgresStore::commit_batch() { commit_on(connection()); }

void PostgresStore::commit_batch_async(CommitDone done) {
  if (!commit_thread_) {
    Store::commit_batch_async(std::move(done));
    return;
  }
  // Even a batch that cannot commit goes through the thread: its `done` must not overtake
  // those of the batches handed over before it.
  connection();  // the batch's, normally; a fresh one when none is open (the thread says so)
  const auto index = *current_;
  {
    const std::lock_guard lock(committing_mutex_);
    committing_[index] = true;
  }
  current_.reset();
  commit_thread_->submit([this, index, done = std::move(done)]() mutable {
    std::exception_ptr failure;
    bool out_of_space = false;
    try {
      commit_on(*connections_[index]);
    } catch (const StorageError& error) {
      failure = std::current_exception();
      out_of_space = error.out_of_space();
    } catch (...) {
      failure = std::current_exception();
    }
    commit_out_of_space_ = out_of_space;
    {
      const std::lock_guard lock(committing_mutex_);
      committing_[index] = false;
    }
    commit_returned_.notify_all();
    post_([done = std::move(done), failure] { done(failure); });
  });
}

void PostgresStore::commit_off_the_loop(Post post) {
  if (!post) {
    commit_thread_.reset();  // runs what was handed over, then joins
    post_ = nullptr;
    return;
  }
  if (commit_thread_) throw StorageError("commit_off_the_loop: the commit thread runs already");
  // A second connection: the loop writes the next batch on it while the first commits.
  while (connections_.size() < 2) connections_.push_back(std::make_unique<pg::Connection>(conninfo_, setup_));
  committing_.resize(connections_.size(), false);
  post_ = std::move(post);
  commit_thread_ = std::make_unique<CommitThread>();
}

void PostgresStore::rollback_batch() noexcept {
  if (!batch_open()) return;
  try {
    connection().exec("ROLLBACK");
  } catch (const StorageError&) {
    // The connection is gone; the server has rolled back already.
  }
}

bool PostgresStore::batch_open() const { return current_ && connections_[*current_]->in_transaction(); }

// --- retention (retention.hpp; the same rules as SqliteStore) ---

void PostgresStore::prune_history(std::int64_t universe, std::int64_t previous_last_seq, std::int64_t last_seq) {
  const auto every = std::max<std::int64_t>(1, retention_.prune_every);
  if (last_seq <= retention_.history_keep || previous_last_seq / every == last_seq / every) return;
  connection().query(
      "DELETE FROM history WHERE universe_id = $1 AND seq <= $2"
      " AND seq < (SELECT MIN(seq) FROM history WHERE universe_id = $1) + $3",
      {number(universe), number(last_seq - retention_.history_keep), number(2 * every)});
}

void PostgresStore::prune_messages(std::int64_t universe) {
  const auto every = std::max<std::int64_t>(1, retention_.prune_every);
  if (++messages_since_prune_[universe] < every) return;
  messages_since_prune_[universe] = 0;
  connection().query(
      "DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE universe_id = $1 AND id <"
      " (SELECT id FROM messages WHERE universe_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)"
      " ORDER BY id LIMIT $3)",
      {number(universe), number(std::max<std::int64_t>(0, retention_.chat_keep - 1)), number(2 * every)});
}

// --- write health ---

bool PostgresStore::out_of_space() const {
  return commit_out_of_space_ || (current_ && connections_[*current_]->out_of_space());
}

// --- settings ---

std::optional<std::string> PostgresStore::get_setting(const std::string& key) {
  if (!pg::is_storable_text(key)) return std::nullopt;
  auto rows = connection().query("SELECT value FROM settings WHERE key = $1", {key});
  if (rows.rows() == 0) return std::nullopt;
  return rows.text(0, 0);
}

void PostgresStore::put_setting(const std::string& key, const std::string& value) {
  write("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {storable(key, "setting key"), storable(value, "setting value")});
}

std::string PostgresStore::keep_first_setting(const std::string& key, const std::string& value) {
  // RETURNING gives nothing when the key was there already; the stored value is then read
  // (committed by whoever won, since the conflicting insert waited for that commit).
  auto inserted = write("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value",
                        {storable(key, "setting key"), storable(value, "setting value")});
  if (inserted.rows() > 0) return value;
  return get_setting(key).value_or(value);
}

}  // namespace harmonic::storage
