#include "net/run_loop.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace harmonic::net {

std::size_t run_surviving_handler_failures(boost::asio::io_context& io) {
  std::size_t escaped = 0;
  for (;;) {
    try {
      io.run();
      return escaped;
    } catch (const std::exception& error) {
      ++escaped;
      spdlog::error("a handler failed and was dropped; serving on: {}", error.what());
    } catch (...) {
      ++escaped;
      spdlog::error("a handler failed (not a std::exception) and was dropped; serving on");
    }
  }
}

}  // namespace harmonic::net
