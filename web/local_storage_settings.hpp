// The browser's frontend::SettingsStorage: window.localStorage (the page's origin is
// the server, so values are per server as on the desktop). A browser that refuses
// storage (private mode) just forgets.
#pragma once

#include "frontend/settings_storage.hpp"

namespace harmonic::web {

class LocalStorageSettings final : public frontend::SettingsStorage {
 public:
  std::optional<std::string> load(const std::string& key) override;
  void save(const std::string& key, const std::string& value) override;
  void remove(const std::string& key) override;
};

}  // namespace harmonic::web
