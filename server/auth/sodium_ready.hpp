// libsodium must be initialised once before use (it picks CPU-specific code and seeds its
// random generator). Internal to harmonic_auth.
#pragma once

namespace harmonic::auth::detail {

// Initialises libsodium on the first call; throws std::runtime_error if it cannot.
// Safe to call from several threads.
void ensure_sodium_ready();

}  // namespace harmonic::auth::detail
