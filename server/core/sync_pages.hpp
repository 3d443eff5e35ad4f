// One page of a state:sync reply: the history entries and chat messages newer than
// `last_sync`, merged in time order, up to a byte budget (docs/protocol.md, "Limits and
// paging").
//
// Why: the reply used to hold up to 1000 history entries and 1000 messages at once; one
// 80-byte request built a 12 MB reply, and a few connections that never read theirs
// stalled the event loop for everyone (issue 12, finding 2). Now a reply holds at most
// `budget_bytes` of entries (one more when a single entry is larger than the budget, so
// every page makes progress), and the client asks for the next page with the cursor.
//
// The promise: following `cursor` until `has_more` is false yields every entry and
// message newer than last_sync exactly once, however the pages were cut. Each list is
// walked by its own key (history by seq, chat by id), so interleaving by time only
// decides which comes first, never whether something is skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "storage/store.hpp"

namespace harmonic::core {

// Where the previous page ended: the last history seq and chat message id it held.
struct SyncCursor {
  std::int64_t history_seq = 0;
  std::string message_id;  // "" before the first message
};

struct SyncPage {
  nlohmann::json history = nlohmann::json::array();
  nlohmann::json messages = nlohmann::json::array();
  SyncCursor next;        // pass back as `cursor` for the next page
  bool has_more = false;  // the budget ended the page before everything newer was in it
};

// Reads from the store only the rows this page needs (a few dozen at a time). `used_bytes`
// is what the rest of the reply already takes (universe, parameters, participants).
SyncPage read_sync_page(storage::Store& store, const std::string& universe_id, std::int64_t last_sync,
                        const SyncCursor& after, std::size_t budget_bytes, std::size_t used_bytes);

// The cursor as sent on the wire: {history_seq, message_id}.
nlohmann::json cursor_to_json(const SyncCursor& cursor);

}  // namespace harmonic::core
