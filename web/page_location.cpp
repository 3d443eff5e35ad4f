#include "web/page_location.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <emscripten.h>

namespace harmonic::web {

// Browser APIs, each used by one method below.
// Returns "origin\ntoken\nuniverse\ndebug" from the page URL.
EM_JS(char*, js_startup_options, (), {
  const hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const query = new URLSearchParams(window.location.search);
  let debug = query.get('debug') || hash.get('debug') || '0';
  const s = [window.location.origin, hash.get('token') || "", hash.get('universe') || "", debug].join('\n');
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});

EM_JS(void, js_set_location, (const char* fragment), {
  const f = UTF8ToString(fragment);
  const url = window.location.pathname + window.location.search + (f ? '#' + f : "");
  if (url !== window.location.pathname + window.location.search + window.location.hash) {
    window.history.replaceState(null, "", url);
  }
});

EM_JS(char*, js_origin, (), {
  const s = window.location.origin + window.location.pathname;
  const n = lengthBytesUTF8(s) + 1;
  const p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});

frontend::StartupOptions startup_options_from_page() {
  char* raw = js_startup_options();
  std::string text(raw);
  std::free(raw);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find('\n', start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  parts.resize(4);
  frontend::StartupOptions options;
  options.server_origin = parts[0];
  options.token = parts[1];
  options.universe_id = parts[2];
  options.debug_level = std::clamp(std::atoi(parts[3].c_str()), 0, 3);
  return options;
}

void PageLocation::set(const std::string& fragment) { js_set_location(fragment.c_str()); }

std::string PageLocation::universe_link(const std::string& universe_id) const {
  char* raw = js_origin();
  std::string base(raw);
  std::free(raw);
  return base + "#universe=" + universe_id;
}

}  // namespace harmonic::web
