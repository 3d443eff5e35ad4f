// The desktop's OpenGL: 3.3 core, no loader library. GL_GLEXT_PROTOTYPES declares the
// core entry points, which libGL (GLVND/Mesa) exports (native/README.md, "OpenGL
// loader"). Included through shared/ui/gl.hpp; this folder is on harmonic_ui's
// include path only in the native build (native/CMakeLists.txt).
#pragma once

#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>

#define HARMONIC_GLSL_VERSION "#version 330 core\n"
#define HARMONIC_IMGUI_GLSL_VERSION "#version 330 core"
