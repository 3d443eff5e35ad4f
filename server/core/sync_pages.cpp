#include "core/sync_pages.hpp"

#include <vector>

#include "core/wire_format.hpp"

namespace harmonic::core {

namespace {
// Rows read from the store at a time while a page fills: small, so a page that ends early
// has read little it does not send; large enough that a full page takes few queries.
constexpr int rows_per_read = 64;

// One of the two lists, read ahead a few rows at a time.
template <typename Row>
class Reader {
 public:
  template <typename Read>
  const Row* peek(Read read) {
    if (next_ == rows_.size() && !exhausted_) {
      rows_ = read(rows_per_read);
      next_ = 0;
      exhausted_ = rows_.size() < static_cast<std::size_t>(rows_per_read);
    }
    return next_ < rows_.size() ? &rows_[next_] : nullptr;
  }
  void pop() { ++next_; }

 private:
  std::vector<Row> rows_;
  std::size_t next_ = 0;
  bool exhausted_ = false;
};
}  // namespace

SyncPage read_sync_page(storage::Store& store, const std::string& universe_id, std::int64_t last_sync,
                        const SyncCursor& after, std::size_t budget_bytes, std::size_t used_bytes) {
  SyncPage page;
  page.next = after;
  Reader<storage::HistoryEntry> history;
  Reader<storage::ChatMessage> messages;
  bool empty = true;
  for (;;) {
    const auto* entry = history.peek([&](int limit) {
      return store.history_page(universe_id, last_sync, page.next.history_seq, limit);
    });
    const auto* message = messages.peek([&](int limit) {
      return store.messages_page(universe_id, last_sync, page.next.message_id, limit);
    });
    if (!entry && !message) return page;  // everything newer than last_sync is in
    const bool take_entry = entry && (!message || entry->timestamp <= message->timestamp);
    auto item = take_entry ? history_to_json(*entry) : message_to_json(*message);
    const auto size = item.dump().size() + 1;  // and the comma before it
    if (!empty && used_bytes + size > budget_bytes) {
      page.has_more = true;
      return page;
    }
    used_bytes += size;
    empty = false;
    if (take_entry) {
      page.next.history_seq = entry->seq;
      page.history.push_back(std::move(item));
      history.pop();
    } else {
      page.next.message_id = message->id;
      page.messages.push_back(std::move(item));
      messages.pop();
    }
  }
}

nlohmann::json cursor_to_json(const SyncCursor& cursor) {
  return {{"history_seq", cursor.history_seq}, {"message_id", cursor.message_id}};
}

}  // namespace harmonic::core
