#include "native/font_files.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace harmonic::native {

namespace {
std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return in ? std::string(std::istreambuf_iterator<char>(in), {}) : std::string();
}
}  // namespace

frontend::FontFiles read_font_files() {
  const std::filesystem::path dir = HARMONIC_FONT_DIR;
  return {read_bytes(dir / "DejaVuSans.ttf"), read_bytes(dir / "DejaVuSans-Bold.ttf")};
}

void FileFallbackFont::request() {
  if (state_ != State::not_requested) return;
  bytes_ = read_bytes(HARMONIC_FALLBACK_FONT);
  state_ = bytes_.empty() ? State::unavailable : State::ready;
}

}  // namespace harmonic::native
