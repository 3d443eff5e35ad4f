// The web client's files, served from a web-root directory for every path outside /api.
//
// - Never outside the root: a path with a ".." or "." segment (also percent-encoded, in
//   case the edge decoded only once), a backslash or NUL, a hidden segment (".git"), or a
//   file whose real path (symlinks resolved) leaves the root answers 404.
// - A path whose last segment has no extension and names no file serves index.html, so
//   the client's own routes (/universe/42) survive a reload.
// - ETag is size + modification time; If-None-Match with it answers 304.
// - With no web root (or no index.html), "/" answers a small built-in page saying the
//   web client is not built; other paths answer 404.
//
// The directory is looked at on every request, so a client built after the server
// started is served without a restart.
#pragma once

#include <filesystem>

#include "http/api.hpp"

namespace harmonic::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path web_root) : web_root_(std::move(web_root)) {}

  // For GET (and HEAD, whose body the caller drops).
  ApiResponse serve(const ApiRequest& request) const;

 private:
  std::filesystem::path web_root_;
};

// True when a request path could escape or reveal what it must not (see above).
bool is_unsafe_static_path(const std::string& path);

}  // namespace harmonic::http
