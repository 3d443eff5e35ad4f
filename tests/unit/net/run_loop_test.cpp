#include <catch2/catch.hpp>

#include <new>
#include <stdexcept>
#include <vector>

#include <boost/asio/post.hpp>

#include "net/run_loop.hpp"

using namespace harmonic::net;

TEST_CASE("handlers queued after one that throws still run, and the loop returns when done", "[run_loop]") {
  boost::asio::io_context io{1};
  std::vector<int> ran;
  boost::asio::post(io, [&] { ran.push_back(1); });
  boost::asio::post(io, [] { throw std::runtime_error("storage read failed"); });
  boost::asio::post(io, [&] { ran.push_back(2); });
  boost::asio::post(io, [] { throw std::bad_alloc(); });
  boost::asio::post(io, [] { throw 42; });  // not even a std::exception
  boost::asio::post(io, [&] { ran.push_back(3); });
  CHECK(run_surviving_handler_failures(io) == 3);
  CHECK(ran == std::vector<int>{1, 2, 3});
}

TEST_CASE("stop() still ends the loop", "[run_loop]") {
  boost::asio::io_context io{1};
  bool after_stop = false;
  boost::asio::post(io, [&] { io.stop(); });
  boost::asio::post(io, [&] { after_stop = true; });
  CHECK(run_surviving_handler_failures(io) == 0);
  CHECK_FALSE(after_stop);
}
