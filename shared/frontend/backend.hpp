// The window and its frames, and nothing else (Tracy's Backend): a GL context, the
// main loop, and ImGui's display size, pixel density, time step and input for each
// frame. The network, audio, settings, the address bar and fonts are separate small
// interfaces (platform.hpp), each implemented once per platform in web/ and native/
// (docs/client.md lists the files). Nothing in shared/ knows which platform it runs on.
#pragma once

#include <functional>
#include <string>

namespace harmonic::frontend {

class Backend {
 public:
  virtual ~Backend() = default;

  // Runs `frame` until the program ends (on the web this returns at once and the
  // browser calls `frame` from requestAnimationFrame). `frame` returns how long the
  // loop may wait before the next frame, in ms (0: the next display frame); input and
  // incoming network events wake it sooner (frames on demand, docs/latency.md).
  virtual void run(std::function<double()> frame) = 0;
  // Feeds ImGui its display size, pixel density, time step and input for this frame.
  virtual void new_frame() = 0;
  // Presents the frame (desktop: swap buffers; web: nothing, the browser does it).
  virtual void end_frame() = 0;

  virtual int framebuffer_width() const = 0;   // pixels
  virtual int framebuffer_height() const = 0;
  virtual float dpi_scale() const = 0;         // pixels per point (devicePixelRatio)

  virtual void set_title(const std::string& title) = 0;
  // Whether the page/window can be seen (presence "away" when not).
  virtual bool visible() const = 0;
};

}  // namespace harmonic::frontend
