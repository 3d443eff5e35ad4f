// The desktop's settings file: $XDG_CONFIG_HOME/harmonic-universe/settings.json (or
// ~/.config/...). Holds the last server, the window size, and per server the values
// the App stores (the sign-in token) and the last universe, so a token for one
// server is never sent to another. Written at once on every change (atomically:
// a temporary file, then rename); a missing or broken file is an empty one.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "frontend/settings_storage.hpp"

namespace harmonic::native {

class SettingsStore {
 public:
  // `path` empty: the default location above.
  explicit SettingsStore(std::filesystem::path path = {});

  static std::filesystem::path default_path();
  const std::filesystem::path& path() const { return path_; }

  // Program-wide values ("server", "window_width", ...).
  std::optional<nlohmann::json> get(const std::string& key) const;
  void set(const std::string& key, nlohmann::json value);

  // Values that belong to one server (its origin, e.g. "http://127.0.0.1:8080").
  std::optional<std::string> get_for_server(const std::string& server, const std::string& key) const;
  void set_for_server(const std::string& server, const std::string& key, const std::string& value);
  void remove_for_server(const std::string& server, const std::string& key);

 private:
  void save() const;

  std::filesystem::path path_;
  nlohmann::json data_ = nlohmann::json::object();
};

// The App's frontend::SettingsStorage on the desktop: its keys kept per server.
class ServerSettings final : public frontend::SettingsStorage {
 public:
  ServerSettings(SettingsStore& store, std::string server) : store_(store), server_(std::move(server)) {}
  std::optional<std::string> load(const std::string& key) override { return store_.get_for_server(server_, key); }
  void save(const std::string& key, const std::string& value) override { store_.set_for_server(server_, key, value); }
  void remove(const std::string& key) override { store_.remove_for_server(server_, key); }

 private:
  SettingsStore& store_;
  std::string server_;
};

}  // namespace harmonic::native
