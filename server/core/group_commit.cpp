#include "core/group_commit.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include "storage/errors.hpp"

namespace harmonic::core {

bool GroupCommit::open() {
  if (open_) return false;
  storage_.begin_batch();
  open_ = true;
  return true;
}

void GroupCommit::finish(Failure failure, Finished finished) {
  if (!open_) {
    if (finished) finished(true);
    return;
  }
  open_ = false;
  auto batch = std::make_shared<Batch>();
  // Swapped rather than moved out: a broadcast to a large room holds thousands of frames
  // per turn, and the buffers should not be grown again every turn.
  batch->items.swap(held_);
  held_.swap(spare_);
  batch->failure = std::move(failure);
  batch->finished = std::move(finished);
  if (waiting_known_) {
    for (const auto& item : batch->items) waiting_.insert(item.connection);
  }
  in_flight_.push_back(batch);
  // SQLite: calls back before returning. PostgreSQL: later, on the loop, in this order.
  storage_.commit_batch_async([this, batch](std::exception_ptr error) { commit_returned(batch, std::move(error)); });
}

void GroupCommit::commit_returned(const std::shared_ptr<Batch>& batch, std::exception_ptr error) {
  batch->complete = true;
  batch->error = std::move(error);
  if (releasing_batches_) return;  // the loop below gets to it
  releasing_batches_ = true;
  while (!in_flight_.empty() && in_flight_.front()->complete) {
    const auto front = std::move(in_flight_.front());
    in_flight_.pop_front();
    waiting_known_ = false;  // worked out again when next needed
    release_batch(*front);
    // After its frames: what it sends (a failed commit's recovery) comes after them.
    if (front->finished) front->finished(!front->error);
  }
  releasing_batches_ = false;
}

void GroupCommit::release_batch(Batch& batch) {
  const bool stored = !batch.error;
  const auto& failure = batch.failure;
  if (!stored) {
    try {
      std::rethrow_exception(batch.error);
    } catch (const storage::StorageError& error) {
      spdlog::error("group commit failed ({} frames held): {}", batch.items.size(), error.what());
      if (failure.failed) failure.failed(error);
    } catch (const std::exception& error) {
      spdlog::error("group commit failed ({} frames held): {}", batch.items.size(), error.what());
      if (failure.failed) failure.failed(storage::StorageError(error.what()));
    }
  }
  // Frames an after_commit action sends now would overtake held frames released after it
  // in this loop (cluster mode: a room's changes in seq order); they wait in deferred_.
  releasing_now_ = true;
  for (const auto& item : batch.items) {
    if (item.action) {
      if (stored || item.after_turn) item.action();
      continue;
    }
    const bool withheld = !stored && !item.after_turn && !item.close_reason &&
                          (!failure.heard_of_changes || failure.heard_of_changes(item.connection));
    if (!withheld) {
      release(item);
    } else if (item.ack_id && failure.failed_reply) {
      network_.send(item.connection, failure.failed_reply(*item.ack_id));
    }
  }
  releasing_now_ = false;
  for (const auto& item : deferred_) release(item);
  deferred_.clear();
  batch.items.clear();
  if (batch.items.capacity() > spare_.capacity()) spare_.swap(batch.items);
}

void GroupCommit::release(const Held& item) {
  if (item.close_reason) {
    if (const auto held = closes_held_.find(item.connection); held != closes_held_.end()) closes_held_.erase(held);
  }
  if (item.close_reason && item.over_capacity) {
    network_.close_over_capacity(item.connection, *item.close_reason);
  } else if (item.close_reason) {
    network_.close(item.connection, *item.close_reason);
  } else {
    network_.send(item.connection, item.frame);
  }
}

bool GroupCommit::must_wait(ConnectionId connection) {
  if (!waiting_known_) {
    waiting_.clear();
    for (const auto& batch : in_flight_) {
      for (const auto& item : batch->items) waiting_.insert(item.connection);
    }
    waiting_known_ = true;
  }
  if (waiting_.contains(connection)) return true;
  for (const auto& batch : in_flight_) {
    const auto& heard = batch->failure.heard_of_changes;
    if (!heard || heard(connection)) return true;
  }
  return false;
}

bool GroupCommit::hold(Held item) {
  std::vector<Held>* queue = nullptr;
  if (open_) {
    queue = &held_;
  } else if (releasing_now_) {
    queue = &deferred_;
  } else if (!in_flight_.empty() && must_wait(item.connection)) {
    queue = &in_flight_.back()->items;
    item.after_turn = true;
    waiting_.insert(item.connection);
  }
  if (queue == nullptr) return false;
  if (item.close_reason) closes_held_.insert(item.connection);
  queue->push_back(std::move(item));
  return true;
}

void GroupCommit::send_reply(ConnectionId connection, std::uint64_t ack_id, const Frame& frame) {
  // Held in a batch it is answered as failed when the commit fails; behind one it goes
  // out as it is (after_turn), so there the ack id is not needed.
  if (!hold({connection, frame, std::nullopt, false, open_ ? std::optional(ack_id) : std::nullopt})) {
    network_.send(connection, frame);
  }
}

void GroupCommit::after_commit(std::function<void()> action) {
  if (open_) {
    held_.push_back({0, nullptr, std::nullopt, false, std::nullopt, std::move(action)});
  } else if (!in_flight_.empty() && !releasing_now_) {
    in_flight_.back()->items.push_back({0, nullptr, std::nullopt, false, std::nullopt, std::move(action), true});
  } else {
    action();
  }
}

void GroupCommit::send(ConnectionId connection, const Frame& frame) {
  if (!hold({connection, frame, std::nullopt, false, std::nullopt})) network_.send(connection, frame);
}

void GroupCommit::close(ConnectionId connection, std::string_view reason) {
  if (!hold({connection, nullptr, std::string(reason), false, std::nullopt})) network_.close(connection, reason);
}

void GroupCommit::close_over_capacity(ConnectionId connection, std::string_view reason) {
  if (!hold({connection, nullptr, std::string(reason), true, std::nullopt})) {
    network_.close_over_capacity(connection, reason);
  }
}

bool GroupCommit::is_closing(ConnectionId connection) const {
  return closes_held_.contains(connection) || network_.is_closing(connection);
}

}  // namespace harmonic::core
