# Turns the GLSL ES 3.00 files of shaders/ into one C++ source with their text, so the
# programs need no files at run time. The renderer adds the #version line per platform
# ("#version 300 es" for WebGL2, "#version 330 core" for desktop GL).
#   cmake -DSHADER_DIR=... -DOUTPUT=... -P embed.cmake
file(GLOB shader_files "${SHADER_DIR}/*.vert" "${SHADER_DIR}/*.frag")
list(SORT shader_files)
set(body "")
foreach(path IN LISTS shader_files)
  get_filename_component(name "${path}" NAME)
  file(READ "${path}" text)
  string(APPEND body "    {\"${name}\", R\"glsl(${text})glsl\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from shaders/ by shaders/embed.cmake. Do not edit.
#include <string_view>
#include <utility>

namespace harmonic::ui {

std::string_view embedded_shader(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> shaders[] = {
${body}  };
  for (const auto& [n, text] : shaders) {
    if (n == name) return text;
  }
  return {};
}

}  // namespace harmonic::ui
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
