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

bool GroupCommit::finish(const Failure& failure) {
  if (!open_) return true;
  open_ = false;
  // Swapped rather than moved out: a broadcast to a large room holds thousands of frames
  // per turn, and the buffers should not be grown again every turn.
  std::swap(held_, releasing_);
  closes_held_.clear();
  bool stored = true;
  try {
    storage_.commit_batch();
  } catch (const storage::StorageError& error) {
    spdlog::error("group commit failed ({} frames held): {}", releasing_.size(), error.what());
    stored = false;
    if (failure.failed) failure.failed(error);
  }
  // Frames an after_commit action sends now would overtake held frames released after it
  // in this loop (cluster mode: a room's changes in seq order); they wait in deferred_.
  releasing_now_ = true;
  for (const auto& item : releasing_) {
    if (item.action) {
      if (stored) item.action();
      continue;
    }
    const bool withheld = !stored && !item.close_reason &&
                          (!failure.heard_of_changes || failure.heard_of_changes(item.connection));
    if (!withheld) {
      release(item);
    } else if (item.ack_id && failure.failed_reply) {
      network_.send(item.connection, failure.failed_reply(*item.ack_id));
    }
  }
  releasing_now_ = false;
  releasing_.clear();
  for (const auto& item : deferred_) release(item);
  deferred_.clear();
  return stored;
}

void GroupCommit::release(const Held& item) {
  if (item.close_reason && item.over_capacity) {
    network_.close_over_capacity(item.connection, *item.close_reason);
  } else if (item.close_reason) {
    network_.close(item.connection, *item.close_reason);
  } else {
    network_.send(item.connection, item.frame);
  }
}

void GroupCommit::send_reply(ConnectionId connection, std::uint64_t ack_id, const Frame& frame) {
  if (open_) {
    held_.push_back({connection, frame, std::nullopt, false, ack_id});
  } else if (releasing_now_) {
    deferred_.push_back({connection, frame, std::nullopt, false, std::nullopt});
  } else {
    network_.send(connection, frame);
  }
}

void GroupCommit::after_commit(std::function<void()> action) {
  if (open_) {
    held_.push_back({0, nullptr, std::nullopt, false, std::nullopt, std::move(action)});
  } else {
    action();
  }
}

void GroupCommit::send(ConnectionId connection, const Frame& frame) {
  if (open_) {
    held_.push_back({connection, frame, std::nullopt, false, std::nullopt});
  } else if (releasing_now_) {
    deferred_.push_back({connection, frame, std::nullopt, false, std::nullopt});
  } else {
    network_.send(connection, frame);
  }
}

void GroupCommit::close(ConnectionId connection, std::string_view reason) {
  if (open_) {
    held_.push_back({connection, nullptr, std::string(reason), false, std::nullopt});
    closes_held_.insert(connection);
  } else if (releasing_now_) {
    deferred_.push_back({connection, nullptr, std::string(reason), false, std::nullopt});
  } else {
    network_.close(connection, reason);
  }
}

void GroupCommit::close_over_capacity(ConnectionId connection, std::string_view reason) {
  if (open_) {
    held_.push_back({connection, nullptr, std::string(reason), true, std::nullopt});
    closes_held_.insert(connection);
  } else if (releasing_now_) {
    deferred_.push_back({connection, nullptr, std::string(reason), true, std::nullopt});
  } else {
    network_.close_over_capacity(connection, reason);
  }
}

bool GroupCommit::is_closing(ConnectionId connection) const {
  return closes_held_.contains(connection) || network_.is_closing(connection);
}

}  // namespace harmonic::core
