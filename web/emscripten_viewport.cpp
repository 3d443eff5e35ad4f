#include "web/emscripten_viewport.hpp"

#include <emscripten.h>

namespace harmonic::web {

// The inset is kept on Module (read each frame) rather than pushed into C++, so the
// measuring stays in one place: the canvas's bottom (layout viewport coordinates) minus
// the visual viewport's bottom (its offset into the layout viewport plus its height).
EM_JS(void, js_track_visual_viewport, (), {
  if (Module.harmonicViewportTracked) return;
  Module.harmonicViewportTracked = true;
  Module.harmonicKeyboardInset = 0;
  const vv = window.visualViewport;
  if (!vv) return;
  const update = function() {
    const bottom = Module.canvas.getBoundingClientRect().bottom;
    const inset = Math.max(0, Math.round(bottom - (vv.offsetTop + vv.height)));
    if (inset === Module.harmonicKeyboardInset) return;
    Module.harmonicKeyboardInset = inset;
    _harmonic_wake();
  };
  vv.addEventListener('resize', update);
  vv.addEventListener('scroll', update);
  window.addEventListener('resize', update);
  update();
});

EM_JS(double, js_keyboard_inset, (), {
  const inset = Module.harmonicKeyboardInset;
  return typeof inset === 'number' && isFinite(inset) ? inset : 0;
});

void track_visual_viewport() { js_track_visual_viewport(); }

float keyboard_inset() { return float(js_keyboard_inset()); }

}  // namespace harmonic::web
