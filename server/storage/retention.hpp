// Retention settings, the same for every Store implementation.
#pragma once

#include <cstdint>

namespace harmonic::storage {

// How much of each universe's log and chat is kept (docs/operations.md, "Retention"). The
// current parameters and the universe itself live in their own tables, so pruning the log
// loses nothing a client needs to show a universe; state:sync after a very long absence
// simply gets fewer old entries.
struct Retention {
  std::int64_t history_keep = 10'000;  // newest history entries per universe (--history-keep)
  std::int64_t chat_keep = 10'000;     // newest chat messages per universe (--chat-keep)
  // Amortised: a universe is pruned once per this many new entries, by one range delete
  // in the same transaction as the write, never by a scan per write. One prune deletes
  // at most twice this many rows, so a backlog (a database from before retention) drains
  // a little at each prune instead of stalling one write.
  std::int64_t prune_every = 256;
};

}  // namespace harmonic::storage
