#include "storage/statement_cache.hpp"

namespace harmonic::storage::sqlite {

StatementCache::Lease StatementCache::use(const std::string& sql) {
  auto found = entries_.find(sql);
  if (found == entries_.end()) {
    auto entry = std::make_unique<Entry>(Entry{Statement(db_.get(), sql, &db_.health())});
    found = entries_.emplace(sql, std::move(entry)).first;
  }
  Entry& entry = *found->second;
  if (entry.in_use) {
    throw StorageError("statement used re-entrantly: " + sql);
  }
  entry.in_use = true;
  return Lease(entry.statement, entry.in_use);
}

}  // namespace harmonic::storage::sqlite
