// How much of a connection's event budget (HubOptions::event_rate / event_burst) one
// event spends. Most events cost 1; those whose reply the server must read from the
// store or build large cost more, so a client cannot make the server do a lot of work
// for it at the ordinary event rate (issue 12, finding 2: one 80-byte state:sync made a
// 12 MB reply). docs/protocol.md ("Limits and paging") lists this table for clients.
#pragma once

#include <string_view>

namespace harmonic::core {

struct EventCost {
  std::string_view event;
  int cost;
};

// The one table of costs; every event not named here costs 1.
inline constexpr EventCost expensive_events[] = {
    {"state:sync", 10},      // a page of history and chat from the store (<= 256 KB)
    {"universe:join", 5},    // opens the room, state:initial with recent history and chat
    {"parameter:sync", 3},   // every parameter of the universe
};

constexpr int event_cost(std::string_view event) {
  for (const auto& expensive : expensive_events) {
    if (expensive.event == event) return expensive.cost;
  }
  return 1;
}

}  // namespace harmonic::core
