#include "auth/sodium_ready.hpp"

#include <sodium.h>

#include <stdexcept>

namespace harmonic::auth::detail {

void ensure_sodium_ready() {
  // A function-local static is initialised exactly once, even with concurrent callers;
  // sodium_init() returns 1 when already initialised, -1 only on failure.
  static const bool ready = sodium_init() >= 0;
  if (!ready) {
    throw std::runtime_error("libsodium could not be initialised");
  }
}

}  // namespace harmonic::auth::detail
