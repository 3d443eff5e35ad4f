#include "net/run_every.hpp"

#include <utility>

namespace harmonic::net {

void run_every(boost::asio::steady_timer& timer, std::chrono::milliseconds period, std::function<bool()> step) {
  timer.expires_after(period);
  timer.async_wait([&timer, period, step = std::move(step)](boost::system::error_code ec) mutable {
    if (ec) return;
    bool again = true;
    try {
      again = step();
    } catch (...) {
      run_every(timer, period, std::move(step));
      throw;
    }
    if (again) run_every(timer, period, std::move(step));
  });
}

}  // namespace harmonic::net
