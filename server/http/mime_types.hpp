// Content-Type and Cache-Control of a static file, by extension. The web client's file
// names are not content-hashed, so the files that change with every build (html, js,
// wasm) must be revalidated each time (no-cache, with an ETag); the rest may be cached.
#pragma once

#include <string>
#include <string_view>

namespace harmonic::http {

// "application/octet-stream" for an unknown extension. Case-insensitive.
std::string mime_type_for(std::string_view file_name);
std::string cache_control_for(std::string_view file_name);

}  // namespace harmonic::http
