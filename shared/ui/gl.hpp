// OpenGL for shared/: the platform's GL header comes from web/gl/ (GLES 3.0, WebGL 2)
// or native/gl/ (desktop GL 3.3 core), whichever folder the build puts on the include
// path (web/CMakeLists.txt, native/CMakeLists.txt). Each also defines:
//   HARMONIC_GLSL_VERSION        the first lines of every shader (shaders/)
//   HARMONIC_IMGUI_GLSL_VERSION  the #version line ImGui's renderer wants
#pragma once

#include "platform_gl.hpp"
