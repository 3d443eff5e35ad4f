// One live realtime connection as the registry sees it, without Beast's types, so the
// registry (and everything that includes it) stays cheap to compile.
#pragma once

#include "core/outbox.hpp"

namespace harmonic::net {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void send(const core::Frame& frame) = 0;
  virtual void close_after_flush() = 0;
  // The same, with WebSocket close 1013 (try again later): a capacity limit was reached.
  virtual void close_over_capacity() = 0;
  // Closing or being dropped: what is sent now is discarded.
  virtual bool is_closing() const = 0;
};

}  // namespace harmonic::net
