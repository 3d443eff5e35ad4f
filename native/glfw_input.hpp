// The desktop's input: ImGui's own GLFW platform backend (mouse, keys, text, the
// clipboard, display size and time step), plus presence (frontend::Input) and the
// hook that scripted input (scripted_input.hpp) uses to replace the devices.
#pragma once

#include <functional>

#include "frontend/input.hpp"

struct GLFWwindow;
struct ImGuiIO;

namespace harmonic::native {

class GlfwInput final : public frontend::Input {
 public:
  // Installs the presence callbacks on `window`; ImGui's, installed on the first
  // frame, chain to them.
  void attach(GLFWwindow* window);
  // Once per frame, from BackendGlfw::new_frame.
  void new_frame();
  // Before the App's ImGui context goes.
  void shutdown();

  bool take_activity() override;
  void mark_activity() {
    activity_ = true;
    if (on_input) on_input();
  }

  // Replaces the devices' input for a frame (--script); counts as activity.
  std::function<void(ImGuiIO& io)> input_override;
  // Called on any input (and every scripted frame): the App's wake (frames on demand).
  std::function<void()> on_input;

 private:
  GLFWwindow* window_ = nullptr;
  bool imgui_ready_ = false;
  bool activity_ = true;
};

}  // namespace harmonic::native
