#include "net/connection_caps.hpp"

#include <utility>

namespace harmonic::net {

ConnectionSlot::ConnectionSlot(ConnectionSlot&& other) noexcept
    : caps_(std::exchange(other.caps_, nullptr)), address_(std::move(other.address_)) {
  other.address_.clear();
}

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
  if (this != &other) {
    release();
    caps_ = std::exchange(other.caps_, nullptr);
    address_ = std::move(other.address_);
    other.address_.clear();
  }
  return *this;
}

ConnectionSlot::~ConnectionSlot() { release(); }

bool ConnectionSlot::charge(const std::string& address) {
  if (caps_ == nullptr || address.empty()) return false;
  if (address == address_) return true;
  auto& count = caps_->per_address_[address];
  if (count >= caps_->max_per_address_) {
    if (count == 0) caps_->per_address_.erase(address);
    return false;
  }
  ++count;
  const std::string previous = std::exchange(address_, address);
  if (!previous.empty()) {
    const auto it = caps_->per_address_.find(previous);
    if (it != caps_->per_address_.end() && --it->second == 0) caps_->per_address_.erase(it);
  }
  return true;
}

void ConnectionSlot::release() {
  if (caps_ == nullptr) return;
  if (!address_.empty()) {
    const auto it = caps_->per_address_.find(address_);
    if (it != caps_->per_address_.end() && --it->second == 0) caps_->per_address_.erase(it);
    address_.clear();
  }
  --caps_->open_;
  caps_ = nullptr;
}

std::optional<ConnectionSlot> ConnectionCaps::open() {
  if (open_ >= max_connections_) return std::nullopt;
  ++open_;
  return ConnectionSlot(*this);
}

std::size_t ConnectionCaps::connections_from(const std::string& address) const {
  const auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

}  // namespace harmonic::net
