#include "native/settings_store.hpp"

#include <cstdlib>
#include <fstream>
#include <system_error>

#include <unistd.h>

namespace harmonic::native {

using nlohmann::json;

std::filesystem::path SettingsStore::default_path() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".config";
  } else {
    base = std::filesystem::temp_directory_path();
  }
  return base / "harmonic-universe" / "settings.json";
}

SettingsStore::SettingsStore(std::filesystem::path path) : path_(path.empty() ? default_path() : std::move(path)) {
  std::ifstream in(path_);
  if (!in) return;
  json parsed = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) data_ = std::move(parsed);
}

std::optional<json> SettingsStore::get(const std::string& key) const {
  auto it = data_.find(key);
  if (it == data_.end() || it->is_null()) return std::nullopt;
  return *it;
}

void SettingsStore::set(const std::string& key, json value) {
  if (data_.contains(key) && data_[key] == value) return;
  data_[key] = std::move(value);
  save();
}

std::optional<std::string> SettingsStore::get_for_server(const std::string& server, const std::string& key) const {
  auto servers = data_.find("servers");
  if (servers == data_.end() || !servers->is_object()) return std::nullopt;
  auto entry = servers->find(server);
  if (entry == servers->end() || !entry->is_object()) return std::nullopt;
  auto value = entry->find(key);
  if (value == entry->end() || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

void SettingsStore::set_for_server(const std::string& server, const std::string& key, const std::string& value) {
  if (get_for_server(server, key) == value) return;
  if (!data_["servers"].is_object()) data_["servers"] = json::object();
  data_["servers"][server][key] = value;
  save();
}

void SettingsStore::remove_for_server(const std::string& server, const std::string& key) {
  if (!get_for_server(server, key)) return;
  data_["servers"][server].erase(key);
  save();
}

void SettingsStore::save() const {
  std::error_code ec;
  std::filesystem::create_directories(path_.parent_path(), ec);
  const auto temp = path_.parent_path() / (path_.filename().string() + ".tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(temp, std::ios::trunc);
    if (!out) return;
    out << data_.dump(2) << '\n';
    if (!out) return;
  }
  std::filesystem::permissions(temp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, ec);  // it holds tokens
  std::filesystem::rename(temp, path_, ec);
  if (ec) std::filesystem::remove(temp, ec);
}

}  // namespace harmonic::native
