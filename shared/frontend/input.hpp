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
};

}  // namespace harmonic::frontend
