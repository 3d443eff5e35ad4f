#include "native/status_file.hpp"

#include <filesystem>
#include <fstream>

namespace harmonic::native {

void StatusFile::write(const std::string& json_text, double now_ms) {
  if (!enabled()) return;
  last_ms_ = now_ms;
  const std::string temp = path_ + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    if (!out) return;
    out << json_text << '\n';
  }
  std::error_code ec;
  std::filesystem::rename(temp, path_, ec);
}

}  // namespace harmonic::native
