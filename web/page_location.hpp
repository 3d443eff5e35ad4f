// The browser's frontend::Location and how the page was opened: the address bar.
//   origin/?debug=2#universe=ID&token=T
#pragma once

#include "frontend/location.hpp"

namespace harmonic::web {

// The server is the page's origin; token, universe and debug come from the URL.
frontend::StartupOptions startup_options_from_page();

class PageLocation final : public frontend::Location {
 public:
  // Replaces the URL fragment without a history entry.
  void set(const std::string& fragment) override;
  std::string universe_link(const std::string& universe_id) const override;
};

}  // namespace harmonic::web
