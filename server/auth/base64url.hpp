// Base64url without padding (RFC 4648 section 5), the encoding of every JWT segment.
// The decoder is strict: only the URL-safe alphabet, no padding, no whitespace, and no
// leftover bits, so each byte string has exactly one accepted encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace harmonic::auth {

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace harmonic::auth
