// The browser's visual viewport: how much of the canvas's bottom an on-screen keyboard
// covers (docs/client.md, "Touch and the on-screen keyboard"). Phones shrink the
// visual viewport, not the page, when their keyboard opens, so the canvas keeps its
// size and the layout (ui/layout.hpp) moves the panels above the keyboard instead.
#pragma once

namespace harmonic::web {

// Listens to window.visualViewport's resize and scroll (once; later calls do nothing);
// each change wakes the frame loop.
void track_visual_viewport();
// CSS px of the canvas below the visual viewport's bottom edge; 0 without a keyboard
// or without visualViewport.
float keyboard_inset();

}  // namespace harmonic::web
