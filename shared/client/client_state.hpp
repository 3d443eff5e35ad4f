// The client's model of the world as the server describes it: who is signed in,
// which universes exist, and, inside a universe, its parameters, participants,
// cursors, chat and history. Updated only by apply_event() (server events) and by
// the App (REST answers, local edits); read by the UI every frame.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "client/session.hpp"

namespace harmonic::client {

struct User {
  std::string id;
  std::string username;
};

struct UniverseSummary {
  std::string id;
  std::string name;
  std::string description;
  std::string owner_id;
  std::string role;  // owner, collaborator, viewer (public)
  bool is_public = false;
};

struct Participant {
  std::string id;
  std::string username;
  std::string status = "active";  // active, idle, away
};

struct RemoteCursor {
  std::string user_id;
  std::string username;
  double x = 0, y = 0;  // world coordinates
  double updated_ms = 0;
};

struct ChatMessage {
  std::string id;
  std::string user_id;
  std::string username;
  std::string message;
  double timestamp = 0;  // ms since the epoch
};

struct HistoryEntry {
  std::int64_t seq = 0;
  double timestamp = 0;
  std::string user_id;
  std::string kind;  // parameter, reset, universe
  std::string category;
  nlohmann::json changes;
};

enum class NoticeLevel { info, success, warning, error };

// A message for people (toast): errors, notifications, maintenance, rate limits.
// An error's notice keeps the error object ({code, message, details}) rather than a
// sentence: the UI words it (ui::notice_text in ui/display_text.hpp).
struct Notice {
  NoticeLevel level = NoticeLevel::info;
  std::string title;
  std::string text;
  nlohmann::json error;  // null unless the notice reports an error object
  double at_ms = 0;
  double duration_ms = 6000;
};

struct LogEntry {
  double at_ms = 0;
  bool outgoing = false;
  std::string name;     // event name, or a frame kind ("ping", "connect")
  std::string payload;  // JSON text, shortened
};

struct ClientState {
  // Connection
  ConnectionStatus connection = ConnectionStatus::disconnected;
  int reconnect_attempt = 0;
  int reconnect_attempts_max = 5;
  double next_retry_ms = 0;
  std::string connection_detail;

  // Account
  std::string token;
  std::optional<User> user;
  bool auth_busy = false;
  nlohmann::json auth_error;  // null, or the error object of the last sign-in (client_errors.hpp)

  // Universe list (REST)
  std::vector<UniverseSummary> universes;  // the pages loaded so far, newest first
  std::optional<std::string> universes_next_cursor;  // set while the server has more pages
  bool universes_loading = false;
  nlohmann::json universes_error;  // null, or the error object of the last page asked for
  std::map<std::string, std::vector<std::string>> collaborators;  // universe id -> usernames

  // The open universe
  std::string universe_id;  // set when the user opens one; joined when the server says so
  bool joined = false;
  nlohmann::json universe = nlohmann::json::object();
  nlohmann::json parameters = nlohmann::json::object();  // {physics, music, audio, visualization}
  std::vector<Participant> participants;
  std::map<std::string, RemoteCursor> cursors;
  std::vector<ChatMessage> chat;
  int unread_chat = 0;
  std::deque<HistoryEntry> history;
  double last_sync_ms = 0;  // state:synced.timestamp, for the next state:sync
  bool read_only = false;

  // People-facing messages and the debug log
  std::vector<Notice> notices;
  std::deque<LogEntry> event_log;
  int debug_level = 0;

  std::uint64_t frames = 0;  // frames drawn so far: during a frame, that frame's index
  // The frame in which the last parameter edit left for the server (docs/latency.md:
  // it must be the frame that saw the input).
  std::uint64_t edit_sent_frame = 0;

  void clear_universe();
  const Participant* participant(const std::string& user_id) const;
  std::string username_of(const std::string& user_id) const;
  void notify(NoticeLevel level, std::string title, std::string text, double now_ms, double duration_ms = 6000);
  // An error notice: `error` is the server's (or client_errors.hpp's) error object.
  void notify_error(std::string title, nlohmann::json error, double now_ms, double duration_ms = 6000);
};

inline constexpr std::size_t kMaxHistory = 200;
inline constexpr std::size_t kMaxChat = 500;
inline constexpr std::size_t kMaxLog = 400;

// Applies one server event to the model. Returns false for an event it does not know
// (which the debug log still shows). `self_id` is the signed-in user's id.
bool apply_event(ClientState& state, const std::string& name, const nlohmann::json& payload, double now_ms);

// Merges a state:initial / state:synced `state` object into the model.
void apply_state(ClientState& state, const nlohmann::json& snapshot, bool replace);

// A JSON id that may be a string or a number, as a string.
std::string id_string(const nlohmann::json& value);

}  // namespace harmonic::client
