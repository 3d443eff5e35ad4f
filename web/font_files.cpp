#include "web/font_files.hpp"

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

}  // namespace harmonic::web
