#include <catch2/catch.hpp>

#include <fstream>

#include "api_fixture.hpp"
#include "http/mime_types.hpp"
#include "http/static_files.hpp"

using harmonic::http::header_value;
using harmonic::test::ApiFixture;
using harmonic::test::HttpTempDir;

namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("MIME types and caching by extension", "[static]") {
  using harmonic::http::cache_control_for;
  using harmonic::http::mime_type_for;
  CHECK(mime_type_for("index.html") == "text/html; charset=utf-8");
  CHECK(mime_type_for("app.js") == "text/javascript; charset=utf-8");
  CHECK(mime_type_for("worker.mjs") == "text/javascript; charset=utf-8");
  CHECK(mime_type_for("app.wasm") == "application/wasm");
  CHECK(mime_type_for("APP.WASM") == "application/wasm");
  CHECK(mime_type_for("style.css") == "text/css; charset=utf-8");
  CHECK(mime_type_for("logo.png") == "image/png");
  CHECK(mime_type_for("logo.svg") == "image/svg+xml");
  CHECK(mime_type_for("data.json") == "application/json");
  CHECK(mime_type_for("favicon.ico") == "image/x-icon");
  CHECK(mime_type_for("robots.txt") == "text/plain; charset=utf-8");
  CHECK(mime_type_for("app.js.map") == "application/json");
  CHECK(mime_type_for("blob.xyz") == "application/octet-stream");
  CHECK(mime_type_for("dir.d/noext") == "application/octet-stream");
  CHECK(cache_control_for("index.html") == "no-cache");
  CHECK(cache_control_for("app.js") == "no-cache");
  CHECK(cache_control_for("app.wasm") == "no-cache");
  CHECK(cache_control_for("logo.png").find("max-age=") != std::string::npos);
}

TEST_CASE("unsafe static paths are recognised, encoded or not", "[static]") {
  using harmonic::http::is_unsafe_static_path;
  CHECK_FALSE(is_unsafe_static_path("/"));
  CHECK_FALSE(is_unsafe_static_path("/assets/app.js"));
  CHECK_FALSE(is_unsafe_static_path("/universe/42"));
  CHECK(is_unsafe_static_path("/../etc/passwd"));
  CHECK(is_unsafe_static_path("/assets/../../etc/passwd"));
  CHECK(is_unsafe_static_path("/%2e%2e/etc/passwd"));
  CHECK(is_unsafe_static_path("/%2E%2E%2Fetc%2Fpasswd"));
  CHECK(is_unsafe_static_path("/%252e%252e/etc/passwd"));
  CHECK(is_unsafe_static_path("/..%5c..%5cetc"));
  CHECK(is_unsafe_static_path("/a\\b"));
  CHECK(is_unsafe_static_path(std::string("/a\0b", 4)));
  CHECK(is_unsafe_static_path("//etc/passwd"));
  CHECK(is_unsafe_static_path("/.git/config"));
  CHECK(is_unsafe_static_path("/./index.html"));
  CHECK(is_unsafe_static_path("relative"));
}

TEST_CASE("files are served from the web root with type, ETag and caching", "[static]") {
  HttpTempDir dir;
  const auto root = dir.path() / "site";
  write_file(root / "index.html", "<html>client</html>");
  write_file(root / "app.js", "console.log(1)");
  write_file(root / "app.wasm", std::string("\0asm\1\0\0\0", 8));
  write_file(root / "assets" / "logo.png", "PNG");
  write_file(dir.path() / "secret.txt", "outside");
  ApiFixture f(root);

  const auto index = f.send("GET", "/");
  REQUIRE(index.status == 200);
  CHECK(index.body == "<html>client</html>");
  CHECK(index.content_type == "text/html; charset=utf-8");
  CHECK(header_value(index, "Cache-Control") == "no-cache");
  const auto etag = header_value(index, "ETag");
  CHECK(etag.size() > 2);
  CHECK(etag.front() == '"');

  const auto wasm = f.send("GET", "/app.wasm");
  REQUIRE(wasm.status == 200);
  CHECK(wasm.content_type == "application/wasm");
  CHECK(wasm.body.size() == 8);
  CHECK(f.send("GET", "/app.js").content_type == "text/javascript; charset=utf-8");
  const auto logo = f.send("GET", "/assets/logo.png");
  CHECK(logo.content_type == "image/png");
  CHECK(header_value(logo, "Cache-Control").find("max-age") != std::string::npos);

  SECTION("If-None-Match with the ETag answers 304 without a body") {
    const auto again = f.send("GET", "/", "", "", {{"if-none-match", etag}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(header_value(again, "ETag") == etag);
    CHECK(f.send("GET", "/", "", "", {{"if-none-match", "\"other\", W/" + etag}}).status == 304);
    CHECK(f.send("GET", "/", "", "", {{"if-none-match", "\"other\""}}).status == 200);
  }
  SECTION("a changed file gets a new ETag") {
    write_file(root / "index.html", "<html>client v2, longer</html>");
    const auto changed = f.send("GET", "/", "", "", {{"if-none-match", etag}});
    CHECK(changed.status == 200);
    CHECK(header_value(changed, "ETag") != etag);
  }
  SECTION("paths without an extension serve index.html; missing files with one are 404") {
    const auto route = f.send("GET", "/universe/42");
    CHECK(route.status == 200);
    CHECK(route.body == "<html>client</html>");
    CHECK(f.send("GET", "/missing.js").status == 404);
    CHECK(f.send("GET", "/assets/missing.png").status == 404);
  }
  SECTION("nothing outside the root is served") {
    for (const std::string path : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt",
                                   "/..%2fsecret.txt", "/%252e%252e/secret.txt", "//etc/passwd"}) {
      const auto response = f.send("GET", path);
      INFO(path);
      CHECK(response.status == 404);
      CHECK(response.body.find("outside") == std::string::npos);
    }
  }
  SECTION("a symlink that leads out of the root is not followed") {
    fs::create_symlink(dir.path() / "secret.txt", root / "leak.txt");
    fs::create_directory_symlink(dir.path(), root / "up");
    CHECK(f.send("GET", "/leak.txt").status == 404);
    CHECK(f.send("GET", "/up/secret.txt").status == 404);
    // A symlink within the root is fine.
    fs::create_symlink(root / "app.js", root / "alias.js");
    CHECK(f.send("GET", "/alias.js").status == 200);
  }
  SECTION("HEAD answers the headers without the body; other methods are 405") {
    const auto head = f.send("HEAD", "/app.js");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.content_type == "text/javascript; charset=utf-8");
    const auto post = f.send("POST", "/app.js", "x");
    CHECK(post.status == 405);
    CHECK(header_value(post, "Allow") == "GET, HEAD");
  }
}

TEST_CASE("without a built client, / explains and other paths are 404", "[static]") {
  HttpTempDir dir;
  SECTION("no web root given") {
    ApiFixture f;
    const auto page = f.send("GET", "/");
    CHECK(page.status == 200);
    CHECK(page.content_type == "text/html; charset=utf-8");
    CHECK(page.body.find("not built") != std::string::npos);
    CHECK(f.send("GET", "/app.js").status == 404);
    CHECK(f.send("GET", "/universe/42").status == 404);
  }
  SECTION("a web root that does not exist") {
    ApiFixture f(dir.path() / "nowhere");
    CHECK(f.send("GET", "/").status == 200);
    CHECK(f.send("GET", "/index.html").status == 404);
  }
  SECTION("an empty web root") {
    ApiFixture f(dir.path());
    CHECK(f.send("GET", "/").body.find("not built") != std::string::npos);
    CHECK(f.send("GET", "/somewhere").status == 404);
  }
}
