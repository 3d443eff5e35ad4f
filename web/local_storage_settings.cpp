#include "web/local_storage_settings.hpp"

#include <cstdlib>

#include <emscripten.h>

namespace harmonic::web {

// Browser APIs, each used by one method below.
EM_JS(char*, js_local_storage_get, (const char* key), {
  let v = null;
  try { v = window.localStorage.getItem(UTF8ToString(key)); } catch (e) {}
  if (v === null) return 0;
  const n = lengthBytesUTF8(v) + 1;
  const p = _malloc(n);
  stringToUTF8(v, p, n);
  return p;
});
EM_JS(void, js_local_storage_set, (const char* key, const char* value), {
  try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(void, js_local_storage_remove, (const char* key), {
  try { window.localStorage.removeItem(UTF8ToString(key)); } catch (e) {}
});

std::optional<std::string> LocalStorageSettings::load(const std::string& key) {
  char* value = js_local_storage_get(key.c_str());
  if (!value) return std::nullopt;
  std::string out(value);
  std::free(value);
  return out;
}
void LocalStorageSettings::save(const std::string& key, const std::string& value) {
  js_local_storage_set(key.c_str(), value.c_str());
}
void LocalStorageSettings::remove(const std::string& key) { js_local_storage_remove(key.c_str()); }

}  // namespace harmonic::web
