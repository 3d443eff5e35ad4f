// The steps every way into the model shares (state:initial and state:synced snapshots,
// live events): parsing a payload's people, messages and history entries, and adding
// them without duplicates.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "client/client_state.hpp"

namespace harmonic::client {

Participant participant_from(const nlohmann::json& p);
ChatMessage message_from(const nlohmann::json& m);
HistoryEntry history_from(const nlohmann::json& h);
// A change heard live. It has no seq (-1) until the server's log entry for it arrives
// (state:sync, re-join), which then replaces it.
HistoryEntry live_history_entry(const nlohmann::json& payload, std::string kind, std::string category,
                                nlohmann::json changes, double now_ms);
void set_participants(ClientState& state, const nlohmann::json& list);
// Entries with a sequence number are the server's log: each seq once, in order.
void add_history(ClientState& state, HistoryEntry entry);
void add_message(ClientState& state, ChatMessage message, bool count_unread);
void merge_parameters(ClientState& state, const std::string& category, const nlohmann::json& values);
// Whether an event names the open universe (or no universe at all).
bool for_this_universe(const ClientState& state, const nlohmann::json& payload);

}  // namespace harmonic::client
