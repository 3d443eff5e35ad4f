// The debug event log: every event in and out, when the debug level is above 0.
#pragma once

#include "ui/view.hpp"

namespace harmonic::ui {

void draw_debug_log(Frame& f);

}  // namespace harmonic::ui
