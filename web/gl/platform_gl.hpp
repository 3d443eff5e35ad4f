// The browser's OpenGL: GLES 3.0 (WebGL 2). Included through shared/ui/gl.hpp; this
// folder is on harmonic_ui's include path only in the web build (web/CMakeLists.txt).
#pragma once

#include <GLES3/gl3.h>

#define HARMONIC_GLSL_VERSION "#version 300 es\nprecision highp float;\nprecision highp int;\n"
#define HARMONIC_IMGUI_GLSL_VERSION "#version 300 es"
