// Runs the event loop so that one failing handler costs what it was serving, not the
// process. Handlers that can name their connection catch for themselves and drop it
// (websocket_session.cpp, http_session.cpp); this is the net under them: an exception
// that still escapes a handler (a bad_alloc, a storage error on a path nobody expected) is
// logged and the loop carries on with the next handler. Asio allows run() to be called
// again after a handler threw; the handler that threw is simply gone.
#pragma once

#include <cstddef>

#include <boost/asio/io_context.hpp>

namespace harmonic::net {

// Returns when the loop stops (io.stop(), or no more work); the number of exceptions
// that escaped a handler on the way.
std::size_t run_surviving_handler_failures(boost::asio::io_context& io);

}  // namespace harmonic::net
