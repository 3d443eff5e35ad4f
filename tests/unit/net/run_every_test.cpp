#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/run_every.hpp"
#include "net/run_loop.hpp"

using namespace harmonic::net;
using namespace std::chrono_literals;

TEST_CASE("a periodic step that throws is run again at its next period", "[run_every]") {
  boost::asio::io_context io{1};
  boost::asio::steady_timer timer{io};
  int calls = 0;
  run_every(timer, 1ms, [&] {
    ++calls;
    if (calls == 1) throw std::runtime_error("the store could not be read");
    return calls < 3;  // the third call ends it
  });
  CHECK(run_surviving_handler_failures(io) == 1);  // the throw reached the loop, and was survived
  CHECK(calls == 3);
}

TEST_CASE("a periodic step ends when it returns false or its timer is cancelled", "[run_every]") {
  boost::asio::io_context io{1};
  boost::asio::steady_timer timer{io};
  int calls = 0;
  run_every(timer, 1ms, [&] { return ++calls < 2; });
  io.run();
  CHECK(calls == 2);

  io.restart();
  int cancelled_calls = 0;
  run_every(timer, 1h, [&] { return ++cancelled_calls > 0; });
  timer.cancel();
  io.run();
  CHECK(cancelled_calls == 0);
}
