// Fuzzes how a request target becomes a static file: net::parse_target (path and query
// decoding) and http::StaticFiles (path checks, resolution inside the web root), against
// a small web root made once in a temporary directory, with a secret file beside it, a
// hidden file inside it and a symlink from inside to the secret.
// Invariants:
// - a decoded target has a path starting with '/' and no NUL anywhere;
// - encode-decode round trip: the decoded path and query, percent-encoded again, decode
//   to the same target;
// - the answer is 200, 304 or 404, and a 200 is one of the web root's public files (or
//   the built-in page): never the secret, never the hidden file, never through the link;
// - a path is_unsafe_static_path() refuses is always 404.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "fuzz_check.hpp"
#include "http/static_files.hpp"
#include "net/url.hpp"

namespace fs = std::filesystem;
using harmonic::http::ApiRequest;
using harmonic::http::StaticFiles;

namespace {

struct WebRoot {
  fs::path root;
  std::set<std::string> public_bodies;

  WebRoot() {
    char pattern[] = "/tmp/harmonic-fuzz-static-XXXXXX";
    const fs::path base = mkdtemp(pattern);
    root = base / "site";
    fs::create_directories(root / "sub");
    write(base / "secret.txt", "SECRET outside the root");
    write(root / ".hidden", "SECRET hidden file");
    fs::create_symlink(base / "secret.txt", root / "link.txt");
    fs::create_directory_symlink(base, root / "up");
    for (const auto& [name, body] : {std::pair{"index.html", "<p>index</p>"}, std::pair{"app.js", "app();"},
                                     std::pair{"sub/page.html", "<p>page</p>"}, std::pair{"sub/index.html", "<p>sub</p>"}}) {
      write(root / name, body);
      public_bodies.insert(body);
    }
  }
  ~WebRoot() {
    std::error_code ignored;
    fs::remove_all(root.parent_path(), ignored);
  }
  static void write(const fs::path& path, const std::string& body) { std::ofstream(path) << body; }
};

std::string percent_encode(std::string_view text, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 15];
    }
  }
  return out;
}

void check_target(const harmonic::net::Target& target) {
  FUZZ_CHECK(!target.path.empty() && target.path.front() == '/');
  FUZZ_CHECK(target.path.find('\0') == std::string::npos);
  std::string encoded = percent_encode(target.path, true);
  char separator = '?';
  for (const auto& [key, value] : target.query) {
    FUZZ_CHECK(!key.empty() && key.find('\0') == std::string::npos && value.find('\0') == std::string::npos);
    encoded += separator + percent_encode(key, false) + '=' + percent_encode(value, false);
    separator = '&';
  }
  const auto again = harmonic::net::parse_target(encoded);
  FUZZ_CHECK(again && again->path == target.path && again->query == target.query);
}

void check_served(const WebRoot& site, const StaticFiles& files, const std::string& path) {
  ApiRequest request;
  request.method = "GET";
  request.path = path;
  const auto response = files.serve(request);
  FUZZ_CHECK(response.status == 200 || response.status == 304 || response.status == 404);
  FUZZ_CHECK(response.body.find("SECRET") == std::string::npos);
  if (response.status == 200) FUZZ_CHECK(site.public_bodies.count(response.body) == 1);
  if (harmonic::http::is_unsafe_static_path(path)) FUZZ_CHECK(response.status == 404);

  static const StaticFiles no_root{fs::path()};
  const auto unbuilt = no_root.serve(request);
  FUZZ_CHECK(unbuilt.status == 404 || (unbuilt.status == 200 && path == "/"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const WebRoot site;
  static const StaticFiles files{site.root};
  const std::string raw(reinterpret_cast<const char*>(data), size);
  if (const auto target = harmonic::net::parse_target(raw)) {
    check_target(*target);
    check_served(site, files, target->path);
  }
  // The edge passes decoded paths, but a path that reached the files undecoded must be
  // just as safe.
  check_served(site, files, raw);
  return 0;
}
