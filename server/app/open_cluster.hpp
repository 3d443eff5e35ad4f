// Cluster mode's link to the other nodes: Redis with --redis, none without
// (docs/operations.md, "Cluster mode").
#pragma once

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "app/options.hpp"
#include "core/cluster_link.hpp"
#include "core/realtime_hub.hpp"

namespace harmonic::app {

// nullptr without --redis. Otherwise a started link that hands what it hears to `hub`
// (and is set as the hub's link); throws std::invalid_argument for a bad URL and
// std::runtime_error in a build without hiredis.
std::unique_ptr<core::ClusterLink> open_cluster(const ServerOptions& options, boost::asio::io_context& io,
                                                core::RealtimeHub& hub, const std::string& node_id);

}  // namespace harmonic::app
