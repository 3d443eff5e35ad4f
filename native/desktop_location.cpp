#include "native/desktop_location.hpp"

namespace harmonic::native {

void DesktopLocation::set(const std::string& fragment) {
  const std::string prefix = "universe=";
  if (fragment.rfind(prefix, 0) == 0) {
    store_.set_for_server(server_, "last_universe", fragment.substr(prefix.size()));
  } else {
    store_.remove_for_server(server_, "last_universe");
  }
}

std::string DesktopLocation::universe_link(const std::string& universe_id) const {
  return server_ + "/#universe=" + universe_id;
}

}  // namespace harmonic::native
