// The one place that knows which OpenGL the platform has: GLES 3.0 (WebGL2) in the
// browser, desktop GL 3.3 core on the desktop. Everything else includes this.
#pragma once

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#define HARMONIC_GLSL_VERSION "#version 300 es\nprecision highp float;\nprecision highp int;\n"
#define HARMONIC_IMGUI_GLSL_VERSION "#version 300 es"
#else
#ifndef GL_GLEXT_PROTOTYPES
#define GL_GLEXT_PROTOTYPES 1
#endif
#include <GL/gl.h>
#include <GL/glext.h>
#define HARMONIC_GLSL_VERSION "#version 330 core\n"
#define HARMONIC_IMGUI_GLSL_VERSION "#version 330 core"
#endif
