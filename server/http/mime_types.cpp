#include "http/mime_types.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace harmonic::http {

namespace {

std::string extension_of(std::string_view file_name) {
  const auto slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string extension(file_name.substr(dot + 1));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 19> kTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"wasm", "application/wasm"},
    {"css", "text/css; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"svg", "image/svg+xml"},
    {"ico", "image/x-icon"},
    {"txt", "text/plain; charset=utf-8"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"data", "application/octet-stream"},
}};

}  // namespace

std::string mime_type_for(std::string_view file_name) {
  const auto extension = extension_of(file_name);
  for (const auto& [known, type] : kTypes) {
    if (known == extension) return std::string(type);
  }
  return "application/octet-stream";
}

std::string cache_control_for(std::string_view file_name) {
  const auto extension = extension_of(file_name);
  if (extension == "html" || extension == "htm" || extension == "js" || extension == "mjs" || extension == "wasm" ||
      extension == "data" || extension == "json" || extension == "map") {
    return "no-cache";
  }
  return "public, max-age=3600";
}

}  // namespace harmonic::http
