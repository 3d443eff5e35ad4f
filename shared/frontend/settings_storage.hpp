// Small values the App keeps between runs (the sign-in token): web localStorage,
// desktop the settings file, per server.
#pragma once

#include <optional>
#include <string>

namespace harmonic::frontend {

class SettingsStorage {
 public:
  virtual ~SettingsStorage() = default;
  virtual std::optional<std::string> load(const std::string& key) = 0;
  virtual void save(const std::string& key, const std::string& value) = 0;
  virtual void remove(const std::string& key) = 0;
};

}  // namespace harmonic::frontend
