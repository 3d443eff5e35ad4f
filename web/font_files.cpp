#include "web/font_files.hpp"

#include <emscripten.h>

#include <fstream>
#include <iterator>
#include <string>

namespace harmonic::web {

namespace {
std::string read_bytes(const char* path) {
  std::ifstream in(path, std::ios::binary);
  return in ? std::string(std::istreambuf_iterator<char>(in), {}) : std::string();
}
}  // namespace

frontend::FontFiles read_font_files() {
  return {read_bytes("/assets/DejaVuSans.ttf"), read_bytes("/assets/DejaVuSans-Bold.ttf")};
}

// The font's bytes into the module's memory, then _harmonic_fallback_font (a failed
// fetch or an error status hands over nothing).
EM_JS(void, js_fetch_fallback_font, (const char* url), {
  fetch(UTF8ToString(url))
    .then(function(r) { return r.ok ? r.arrayBuffer() : null; })
    .catch(function() { return null; })
    .then(function(buffer) {
      if (!buffer || buffer.byteLength === 0) {
        _harmonic_fallback_font(0, 0);
        return;
      }
      const p = _malloc(buffer.byteLength);
      HEAPU8.set(new Uint8Array(buffer), p);
      _harmonic_fallback_font(p, buffer.byteLength);
      _free(p);
    });
});

void FetchedFallbackFont::request() {
  if (state_ != State::not_requested) return;
  state_ = State::loading;
  js_fetch_fallback_font(HARMONIC_FALLBACK_FONT_URL);
}

void FetchedFallbackFont::arrived(const char* data, int size) {
  if (data && size > 0) bytes_.assign(data, std::size_t(size));
  state_ = bytes_.empty() ? State::unavailable : State::ready;
}

}  // namespace harmonic::web
