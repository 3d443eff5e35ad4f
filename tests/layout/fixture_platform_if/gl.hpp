// A fixture for tests/layout/shared_is_platform_free.sh: what shared/ui/gl.hpp looked
// like before the platform GL headers moved to web/gl and native/gl. The check must
// reject it.
#pragma once

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#include <GL/gl.h>
#endif
