// A job the server runs on a period (the core's tick). The timer is re-armed even when the
// step throws: run_surviving_handler_failures (run_loop.hpp) survives the exception, but a
// periodic job that was not re-armed would be gone for good, and with the core's tick go
// session expiry, cursor flushing, gap filling and the end of a graceful shutdown.
#pragma once

#include <chrono>
#include <functional>

#include <boost/asio/steady_timer.hpp>

namespace harmonic::net {

// Runs `step` every `period` until it returns false or the timer is cancelled. An
// exception from `step` is rethrown to the loop after the next run has been scheduled.
void run_every(boost::asio::steady_timer& timer, std::chrono::milliseconds period, std::function<bool()> step);

}  // namespace harmonic::net
