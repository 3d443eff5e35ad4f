// Random secrets, e.g. the JWT signing key the server generates on first start and keeps in
// the settings table.
#pragma once

#include <cstddef>
#include <string>

namespace harmonic::auth {

// `bytes` bytes from the operating system's CSPRNG, as 2 * bytes lowercase hex digits.
std::string random_secret_hex(std::size_t bytes = 32);

}  // namespace harmonic::auth
