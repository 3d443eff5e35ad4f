#include "native/glfw_input.hpp"

// gl.hpp first: it declares the GL 3.3 core entry points (GL_GLEXT_PROTOTYPES) that
// GLFW's header must not redeclare.
#include "ui/gl.hpp"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "backends/imgui_impl_glfw.h"
#include "imgui.h"

namespace harmonic::native {

namespace {

GlfwInput* input_of(GLFWwindow* window) { return static_cast<GlfwInput*>(glfwGetWindowUserPointer(window)); }

// Installed before ImGui's own callbacks, which chain to these: presence only needs
// to know that the person did something.
void on_cursor(GLFWwindow* w, double, double) { input_of(w)->mark_activity(); }
void on_button(GLFWwindow* w, int, int, int) { input_of(w)->mark_activity(); }
void on_scroll(GLFWwindow* w, double, double) { input_of(w)->mark_activity(); }
void on_key(GLFWwindow* w, int, int, int, int) { input_of(w)->mark_activity(); }

}  // namespace

void GlfwInput::attach(GLFWwindow* window) {
  window_ = window;
  glfwSetWindowUserPointer(window_, this);
  glfwSetCursorPosCallback(window_, on_cursor);
  glfwSetMouseButtonCallback(window_, on_button);
  glfwSetScrollCallback(window_, on_scroll);
  glfwSetKeyCallback(window_, on_key);
}

void GlfwInput::new_frame() {
  if (!imgui_ready_) {
    // The App made the ImGui context on its first frame; attach GLFW input to it.
    ImGui_ImplGlfw_InitForOpenGL(window_, true);
    ImGui::GetIO().BackendPlatformName = "harmonic_glfw";
    imgui_ready_ = true;
  }
  ImGui_ImplGlfw_NewFrame();  // display size, time step, mouse, keys
  if (input_override) {
    input_override(ImGui::GetIO());
    mark_activity();
  }
}

void GlfwInput::shutdown() {
  if (!imgui_ready_) return;
  ImGui_ImplGlfw_Shutdown();
  imgui_ready_ = false;
}

bool GlfwInput::take_activity() {
  const bool was = activity_;
  activity_ = false;
  return was;
}

}  // namespace harmonic::native
