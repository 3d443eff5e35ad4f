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

bool GroupCommit::finish() {
  if (!open_) return true;
  open_ = false;
  // Swapped rather than moved out: a broadcast to a large room holds thousands of frames
  // per turn, and the buffers should not be grown again every turn.
  std::swap(held_, releasing_);
  closes_held_.clear();
  try {
    storage_.commit_batch();
  } catch (const storage::StorageError& error) {
    spdlog::error("group commit failed, {} frames withheld: {}", releasing_.size(), error.what());
    releasing_.clear();
    return false;
  }
  for (const auto& item : releasing_) {
    if (item.close_reason && item.over_capacity) {
      network_.close_over_capacity(item.connection, *item.close_reason);
    } else if (item.close_reason) {
      network_.close(item.connection, *item.close_reason);
    } else {
      network_.send(item.connection, item.frame);
    }
  }
  releasing_.clear();
  return true;
}

void GroupCommit::send(ConnectionId connection, const Frame& frame) {
  if (open_) {
    held_.push_back({connection, frame, std::nullopt});
  } else {
    network_.send(connection, frame);
  }
}

void GroupCommit::close(ConnectionId connection, std::string_view reason) {
  if (open_) {
    held_.push_back({connection, nullptr, std::string(reason)});
    closes_held_.insert(connection);
  } else {
    network_.close(connection, reason);
  }
}

void GroupCommit::close_over_capacity(ConnectionId connection, std::string_view reason) {
  if (open_) {
    held_.push_back({connection, nullptr, std::string(reason), true});
    closes_held_.insert(connection);
  } else {
    network_.close_over_capacity(connection, reason);
  }
}

bool GroupCommit::is_closing(ConnectionId connection) const {
  return closes_held_.contains(connection) || network_.is_closing(connection);
}

}  // namespace harmonic::core
