#include "storage/postgres_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <memory>

namespace harmonic::storage::pg {

Failure classify(std::string_view sqlstate) {
  if (sqlstate == "53100" || sqlstate == "53000" || sqlstate == "58030") return Failure::out_of_space;
  if (sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03") {
    return Failure::connection_lost;
  }
  if (sqlstate == "23505") return Failure::unique_violation;
  if (sqlstate == "23503") return Failure::foreign_key_violation;
  return Failure::other;
}

bool is_storable_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == 0) return false;
    if (byte < 0x80) {
      ++i;
      continue;
    }
    // Lead byte: how many continuation bytes, and the smallest code point allowed (no
    // overlong forms), as PostgreSQL's own UTF-8 check does.
    int extra = 0;
    std::uint32_t code = 0;
    if ((byte & 0xE0) == 0xC0) extra = 1, code = byte & 0x1F;
    else if ((byte & 0xF0) == 0xE0) extra = 2, code = byte & 0x0F;
    else if ((byte & 0xF8) == 0xF0) extra = 3, code = byte & 0x07;
    else return false;
    if (i + extra >= text.size()) return false;  // cut short
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t smallest[] = {0, 0x80, 0x800, 0x10000};
    if (code < smallest[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

// --- Result ---

Result::~Result() { PQclear(result_); }
int Result::rows() const { return PQntuples(result_); }
std::int64_t Result::affected() const {
  const char* count = PQcmdTuples(result_);
  std::int64_t value = 0;
  std::from_chars(count, count + std::char_traits<char>::length(count), value);
  return value;
}
bool Result::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
std::string Result::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), PQgetlength(result_, row, column));
}
std::optional<std::string> Result::optional_text(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return text(row, column);
}
std::int64_t Result::int64(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  const char* end = value + PQgetlength(result_, row, column);
  std::int64_t number = 0;
  const auto [stop, error] = std::from_chars(value, end, number);
  if (error != std::errc() || stop != end) throw StorageError("not an integer column: '" + text(row, column) + "'");
  return number;
}
bool Result::boolean(int row, int column) const { return text(row, column) == "t"; }

// --- Connection ---

namespace {

// libpq alone waits forever for a server that accepts the connection and never answers
// (a frozen host, a half-dead proxy), and the event loop with it: unless the conninfo
// sets connect_timeout itself, give up after 5 s (docs/cluster.md, "When PostgreSQL is
// away"). Written into the conninfo string itself: set as a keyword of its own next to
// an expanded dbname (PQconnectdbParams), it was at times not applied here (seen in
// tests, not understood).
std::string with_connect_timeout(const std::string& conninfo) {
  constexpr std::string_view setting = "connect_timeout=5";
  if (conninfo.find("connect_timeout") != std::string::npos) return conninfo;
  if (conninfo.starts_with("postgresql://") || conninfo.starts_with("postgres://")) {
    return conninfo + (conninfo.find('?') == std::string::npos ? "?" : "&") + std::string(setting);
  }
  return std::string(setting) + " " + conninfo;
}

}  // namespace

Connection::Connection(std::string conninfo, std::string setup)
    : conninfo_(std::move(conninfo)), setup_(std::move(setup)) {
  connect();
}

Connection::~Connection() { PQfinish(conn_); }

void Connection::connect() {
  PQfinish(conn_);
  prepared_.clear();  // prepared statements live in the server session that is gone
  conn_ = PQconnectdb(with_connect_timeout(conninfo_).c_str());
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    std::string message = conn_ != nullptr ? PQerrorMessage(conn_) : "out of memory";
    while (!message.empty() && (message.back() == '\n' || message.back() == '\t')) message.pop_back();
    throw ConnectionLost("cannot connect to PostgreSQL: " + message);
  }
  // NOTICEs (e.g. "schema already exists, skipping") are not worth a line on stderr.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  if (!setup_.empty()) exec(setup_);
}

void Connection::ensure_connected() {
  if (PQstatus(conn_) != CONNECTION_OK) connect();
}

Result Connection::check(pg_result* raw, std::string_view what) {
  Result result(raw);
  const auto status = PQresultStatus(raw);
  if (raw != nullptr && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) return result;
  const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  std::string message(what.substr(0, 120));
  message += ": ";
  message += raw != nullptr ? PQresultErrorMessage(raw) : PQerrorMessage(conn_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  // A dead socket often comes back without a SQLSTATE; the connection status tells.
  if (PQstatus(conn_) != CONNECTION_OK || (state != nullptr && classify(state) == Failure::connection_lost)) {
    throw ConnectionLost("lost the PostgreSQL connection: " + message);
  }
  const std::string sqlstate = state != nullptr ? state : "";
  message += " (SQLSTATE " + sqlstate + ")";
  PgError error(message, sqlstate);
  if (error.out_of_space()) out_of_space_ = true;
  throw error;
}

Result Connection::query(const std::string& sql, const Params& params) {
  ensure_connected();
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "s";  // not "s" + to_string(): GCC 12 warns falsely (-Wrestrict) on that
    name += std::to_string(prepared_.size());
    check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql);
    found = prepared_.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  for (const auto& param : params) {
    values.push_back(param ? param->c_str() : nullptr);
    lengths.push_back(param ? static_cast<int>(param->size()) : 0);
  }
  return check(PQexecPrepared(conn_, found->second.c_str(), static_cast<int>(values.size()), values.data(),
                              lengths.data(), nullptr, 0),
               sql);
}

void Connection::exec(const std::string& sql) {
  ensure_connected();
  check(PQexec(conn_, sql.c_str()), sql);
}

bool Connection::in_transaction() const {
  const auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

bool Connection::transaction_failed() const { return PQtransactionStatus(conn_) == PQTRANS_INERROR; }

std::string Connection::quote_identifier(const std::string& name) const {
  std::unique_ptr<char, decltype(&PQfreemem)> quoted(PQescapeIdentifier(conn_, name.c_str(), name.size()), PQfreemem);
  if (!quoted) throw StorageError("cannot quote the identifier '" + name + "'");
  return quoted.get();
}

// --- Transaction ---

Transaction::Transaction(Connection& connection) : connection_(connection), nested_(connection.in_transaction()) {
  connection_.exec(nested_ ? "SAVEPOINT harmonic_change" : "BEGIN");
}

Transaction::~Transaction() {
  if (!open_ || !connection_.in_transaction()) return;  // committed, or the connection is gone
  try {
    connection_.exec(nested_ ? "ROLLBACK TO SAVEPOINT harmonic_change; RELEASE SAVEPOINT harmonic_change" : "ROLLBACK");
  } catch (const StorageError&) {
    // The connection broke meanwhile: the server rolls the transaction back itself.
  }
}

void Transaction::commit() {
  if (nested_) {
    connection_.exec("RELEASE SAVEPOINT harmonic_change");
  } else {
    connection_.exec("COMMIT");
    connection_.committed();
  }
  open_ = false;
}

}  // namespace harmonic::storage::pg
