#include "http/static_files.hpp"

#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>

#include "http/json_responses.hpp"
#include "http/mime_types.hpp"

namespace harmonic::http {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNotBuiltPage =
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Harmonic Universe</title></head>\n"
    "<body><h1>Harmonic Universe</h1>\n"
    "<p>The server is running, but the web client is not built (or the server was started without its web "
    "root). Build the WebAssembly client and start the server with its site directory as the web root.</p>\n"
    "<p>The REST API is under <code>/api</code>; <a href=\"/healthz\">/healthz</a> reports health.</p>\n"
    "</body></html>\n";

std::string percent_decode(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

bool has_unsafe_segment(const std::string& path) {
  if (path.find('\\') != std::string::npos || path.find('\0') != std::string::npos) return true;
  if (path.find("//") != std::string::npos) return true;  // "//etc/passwd" would be an absolute path
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!segment.empty() && segment.front() == '.') return true;  // ".", "..", ".git", ".env"
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return false;
}

// Both resolved; true when `path` is `root` or below it.
bool is_within(const fs::path& root, const fs::path& path) {
  auto r = root.begin();
  auto p = path.begin();
  for (; r != root.end(); ++r, ++p) {
    if (p == path.end() || *r != *p) return false;
  }
  return true;
}

ApiResponse not_found_response() { return error_response(not_found("no such file")); }

ApiResponse not_built_page() {
  ApiResponse response;
  response.status = 200;
  response.content_type = "text/html; charset=utf-8";
  response.body = kNotBuiltPage;
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

// The resolved file when `relative` names a regular file inside `root`.
std::optional<fs::path> existing_file(const fs::path& root, const std::string& relative) {
  std::error_code error;
  const auto resolved = fs::canonical(root / relative, error);
  if (error || !fs::is_regular_file(resolved, error) || error || !is_within(root, resolved)) return std::nullopt;
  return resolved;
}

bool etag_matches(const std::string& if_none_match, const std::string& etag) {
  std::stringstream list(if_none_match);
  std::string candidate;
  while (std::getline(list, candidate, ',')) {
    const auto first = candidate.find_first_not_of(" \t");
    const auto last = candidate.find_last_not_of(" \t");
    if (first == std::string::npos) continue;
    candidate = candidate.substr(first, last - first + 1);
    if (candidate == "*") return true;
    if (candidate.rfind("W/", 0) == 0) candidate = candidate.substr(2);  // weak comparison
    if (candidate == etag) return true;
  }
  return false;
}

ApiResponse file_response(const fs::path& file, const ApiRequest& request) {
  std::error_code error;
  const auto size = fs::file_size(file, error);
  if (error) return not_found_response();
  const auto mtime = fs::last_write_time(file, error);
  if (error) return not_found_response();
  std::ostringstream tag;
  tag << '"' << std::hex << size << '-' << mtime.time_since_epoch().count() << '"';
  const auto etag = tag.str();

  ApiResponse response;
  response.headers.emplace_back("ETag", etag);
  response.headers.emplace_back("Cache-Control", cache_control_for(file.filename().string()));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (const auto it = request.headers.find("if-none-match");
      it != request.headers.end() && etag_matches(it->second, etag)) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return not_found_response();
  response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  response.status = 200;
  response.content_type = mime_type_for(file.filename().string());
  return response;
}

}  // namespace

bool is_unsafe_static_path(const std::string& path) {
  if (path.empty() || path.front() != '/') return true;
  if (has_unsafe_segment(path)) return true;
  // Decode twice more: "%2e%2e" and "%252e%252e" must not become ".." further down.
  const auto once = percent_decode(path);
  const auto twice = percent_decode(once);
  return has_unsafe_segment(once) || has_unsafe_segment(twice);
}

ApiResponse StaticFiles::serve(const ApiRequest& request) const {
  const auto& path = request.path;
  if (is_unsafe_static_path(path)) return not_found_response();

  std::error_code error;
  const auto root = web_root_.empty() ? fs::path() : fs::canonical(web_root_, error);
  const bool have_root = !web_root_.empty() && !error && fs::is_directory(root, error);

  if (have_root) {
    auto relative = path.substr(1);
    if (relative.empty() || relative.back() == '/') relative += "index.html";
    if (const auto file = existing_file(root, relative)) return file_response(*file, request);
  }

  // Client-side routes: a last segment without an extension falls back to index.html.
  const auto last_segment = path.substr(path.rfind('/') + 1);
  if (last_segment.find('.') == std::string::npos) {
    if (have_root) {
      if (const auto index = existing_file(root, "index.html")) return file_response(*index, request);
    }
    if (path == "/") return not_built_page();
  }
  return not_found_response();
}

}  // namespace harmonic::http
