#include "core/group_commit.hpp"

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
  auto held = std::move(held_);
  held_.clear();
  try {
    storage_.commit_batch();
  } catch (const storage::StorageError& error) {
    spdlog::error("group commit failed, {} frames withheld: {}", held.size(), error.what());
    return false;
  }
  for (const auto& item : held) {
    if (item.close_reason) {
      network_.close(item.connection, *item.close_reason);
    } else {
      network_.send(item.connection, item.frame);
    }
  }
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
  } else {
    network_.close(connection, reason);
  }
}

}  // namespace harmonic::core
