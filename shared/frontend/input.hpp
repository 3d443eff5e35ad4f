// What the App asks of the platform's input beyond ImGui's own: whether the person
// did anything (presence). The platform's input file feeds ImGui itself (web:
// DOM events, desktop: GLFW callbacks) and owns ImGui's clipboard hooks.
#pragma once

namespace harmonic::frontend {

class Input {
 public:
  virtual ~Input() = default;
  // Whether there was keyboard or mouse input since the last call.
  virtual bool take_activity() = 0;
  // Points at the window's bottom an on-screen keyboard covers (web: the visual
  // viewport's; docs/client.md, "Touch and the on-screen keyboard"). The desktop has none.
  virtual float keyboard_inset() const { return 0; }
};

}  // namespace harmonic::frontend
