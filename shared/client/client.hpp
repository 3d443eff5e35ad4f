// The client's behaviour without any platform or drawing: signs in over REST, keeps
// the Socket.IO session, joins universes, turns server events into ClientState and
// user actions into events. The UI's panels call the action methods (ui::Frame::client);
// the App calls update()
// every frame with the wall-clock time (ms since the epoch).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "client/api.hpp"
#include "client/client_state.hpp"
#include "client/parameter_changes.hpp"
#include "client/session.hpp"

namespace harmonic::client {

struct ClientConfig {
  std::string origin;  // http://host:port of the server (the page's origin on the web)
  ReconnectPolicy reconnect;
  double cursor_interval_ms = 50;
  double idle_after_ms = 60000;   // presence: no input for this long -> idle
  double away_after_ms = 300000;  // ... and this long -> away (or the page hidden)
};

class Client {
 public:
  Client(ClientConfig config, HttpClient& http, TransportFactory transports);

  ClientState& state() { return state_; }
  const ClientState& state() const { return state_; }
  Session& session() { return session_; }
  const ParameterChanges& changes() const { return changes_; }

  // Called when the token changes (sign-in, sign-out) so the platform can persist it.
  std::function<void(const std::string& token)> on_token_changed;
  // Called when the open universe changes ("" when none), e.g. to update the URL.
  std::function<void(const std::string& universe_id)> on_universe_changed;

  // [Account]
  void register_user(const std::string& username, const std::string& password);
  void sign_in(const std::string& username, const std::string& password);
  void sign_in_with_token(const std::string& token);
  void sign_out();

  // [Universe list]
  // The first page of the list, replacing what was shown.
  void refresh_universes();
  // The next page, appended (nothing when the last page is shown or one is loading).
  void load_more_universes();
  void create_universe(const std::string& name, const std::string& description, bool is_public);
  void rename_universe(const std::string& id, const std::string& name, const std::string& description);
  void set_universe_public(const std::string& id, bool is_public);
  void delete_universe(const std::string& id);
  void add_collaborator(const std::string& id, const std::string& username);
  void load_collaborators(const std::string& id);

  // [Inside a universe]
  void open_universe(const std::string& id);
  void leave_universe();
  void edit_parameter(const std::string& category, const std::string& name, const nlohmann::json& value);
  void choose_parameter(const std::string& category, const std::string& name, const nlohmann::json& value);
  void reset_category(const std::string& category);
  void send_chat(const std::string& message);
  void move_cursor(double world_x, double world_y);
  // The pointer left (the mouse left the canvas, the finger lifted): the others stop
  // drawing our cursor (`hidden: true`, docs/protocol.md). Nothing is sent when it is
  // not shown; the next move_cursor shows it again.
  void hide_cursor();
  // Local input activity (any mouse/keyboard event) and page visibility, for presence.
  void note_activity(double now_ms);
  void set_page_visible(bool visible);
  void retry_connection();
  // [The person's view of the model]
  void mark_chat_read() { state_.unread_chat = 0; }
  void dismiss_notice(std::size_t index);

  // Parameters as they should be shown/simulated: server values plus fresh local edits.
  nlohmann::json effective_parameters() const { return changes_.effective(state_.parameters, now_); }
  nlohmann::json displayed_parameter(const std::string& category, const std::string& name) const {
    return changes_.displayed(state_.parameters, category, name, now_);
  }

  void update(double now_ms);
  double now_ms() const { return now_; }

 private:
  void connect_socket();
  void join_current();
  void handle_event(const protocol::Event& event);
  void log(bool outgoing, std::string_view frame);
  void after_sign_in(const ApiResult& result);
  // Sends the coalesced parameter edits and the cursor if their interval allows it now.
  void send_due_edits();
  void presence_tick();
  void emit_checked(const std::string& name, const nlohmann::json& payload, const char* what);
  void load_universe_page(const std::optional<std::string>& cursor);
  // state:sync is paged (docs/protocol.md, "Limits and paging"): asks for one page from
  // sync_since_, after `cursor` (null for the first); handle_event asks for the next while
  // the reply says has_more. A page refused by the rate limit is asked for again later.
  void request_sync_page(const nlohmann::json& cursor);

  ClientConfig config_;
  Api api_;
  Session session_;
  ClientState state_;
  ParameterChanges changes_;
  double now_ = 0;

  double last_cursor_sent_ = -1e18;
  bool cursor_dirty_ = false;
  bool cursor_hidden_ = true;  // what the others were last told (or will be, when dirty)
  double cursor_x_ = 0, cursor_y_ = 0;
  double last_activity_ = 0;
  bool page_visible_ = true;
  std::string presence_sent_;
  std::uint64_t universe_list_generation_ = 0;  // bumped per list request; older answers are dropped

  double sync_since_ = 0;                // last_sync of the sync being paged through
  nlohmann::json sync_retry_cursor_;     // the page to ask for again ...
  double sync_retry_at_ = -1;            // ... at this time (-1: none)
};

}  // namespace harmonic::client
