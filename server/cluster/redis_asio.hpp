// Runs a hiredis asynchronous context on a Boost.Asio io_context. hiredis ships adapters
// for libevent, libuv and others but not Asio; an adapter is the five hooks of
// redisAsyncContext::ev (hiredis/async.h), which say when hiredis wants to hear that its
// socket is readable or writable. Here each is an async_wait on the socket, on the
// server's one I/O thread, so Redis traffic never blocks the event loop.
#pragma once

#include <boost/asio/io_context.hpp>

struct redisAsyncContext;

namespace harmonic::cluster {

// Attaches `context` (just created by redisAsyncConnect) to `io`. The attachment lives
// until hiredis frees the context (its cleanup hook); the socket stays hiredis's to close.
// Returns false when hiredis refuses (the context already has an event library).
bool attach_to_asio(boost::asio::io_context& io, redisAsyncContext* context);

}  // namespace harmonic::cluster
