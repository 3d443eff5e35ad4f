// The desktop's frontend::Location. There is no address bar: the universe on screen
// is remembered in the settings file, per server, so the next start reopens it
// (main.cpp); a copied link is the web client's, for whoever gets it.
#pragma once

#include <string>

#include "frontend/location.hpp"
#include "native/settings_store.hpp"

namespace harmonic::native {

class DesktopLocation final : public frontend::Location {
 public:
  DesktopLocation(SettingsStore& store, std::string server) : store_(store), server_(std::move(server)) {}
  void set(const std::string& fragment) override;
  std::string universe_link(const std::string& universe_id) const override;

 private:
  SettingsStore& store_;
  std::string server_;
};

}  // namespace harmonic::native
