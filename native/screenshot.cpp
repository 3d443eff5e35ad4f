#include "native/screenshot.hpp"

#include <cstdio>
#include <filesystem>
#include <vector>

#include <png.h>

#include "ui/gl.hpp"

namespace harmonic::native {

bool write_framebuffer_png(const std::string& path, int width, int height, std::string* error) {
  if (width <= 0 || height <= 0) {
    if (error) *error = "empty framebuffer";
    return false;
  }
  std::vector<unsigned char> pixels(std::size_t(width) * std::size_t(height) * 3);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
  if (glGetError() != GL_NO_ERROR) {
    if (error) *error = "glReadPixels failed";
    return false;
  }

  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string temp = path + ".tmp";
  FILE* file = std::fopen(temp.c_str(), "wb");
  if (!file) {
    if (error) *error = "cannot write " + path;
    return false;
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    std::filesystem::remove(temp, ec);
    if (error) *error = "PNG encoding failed";
    return false;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, png_uint_32(width), png_uint_32(height), 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  // GL rows go bottom-up; PNG rows top-down.
  for (int y = height - 1; y >= 0; --y) png_write_row(png, pixels.data() + std::size_t(y) * std::size_t(width) * 3);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  std::fclose(file);
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    if (error) *error = "cannot write " + path + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace harmonic::native
