#include "client/client.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "client/client_errors.hpp"

namespace harmonic::client {

using nlohmann::json;

namespace {

UniverseSummary summary_from(const json& u) {
  UniverseSummary s;
  s.id = id_string(u.value("id", json()));
  s.name = u.value("name", "");
  s.description = u.value("description", "");
  s.owner_id = id_string(u.value("owner_id", json()));
  s.role = u.value("role", "");
  s.is_public = u.value("is_public", false);
  return s;
}

// system:error `unauthorized` naming the open universe: access was removed or the
// universe deleted, and the server has taken this socket out of its room.
bool removes_from(const json& error, const std::string& universe_id) {
  if (!error.is_object() || universe_id.empty() || error.value("code", "") != "unauthorized") return false;
  const auto details = error.find("details");
  if (details == error.end() || !details->is_object()) return false;
  return id_string(details->value("universe_id", json())) == universe_id;
}

std::string shorten(std::string text, std::size_t limit) {
  if (text.size() > limit) {
    text.resize(limit);
    text += "…";
  }
  return text;
}

}  // namespace

Client::Client(ClientConfig config, HttpClient& http, TransportFactory transports)
    : config_(std::move(config)), api_(http, config_.origin), session_(std::move(transports), config_.reconnect) {
  state_.reconnect_attempts_max = config_.reconnect.attempts;
  Session::Handlers handlers;
  handlers.on_connected = [this](bool reconnected) {
    state_.connection = ConnectionStatus::connected;
    state_.reconnect_attempt = 0;
    state_.connection_detail.clear();
    presence_sent_.clear();
    if (reconnected) state_.notify(NoticeLevel::success, "Reconnected", "The connection is back.", now_);
    join_current();
  };
  handlers.on_event = [this](const protocol::Event& event) { handle_event(event); };
  handlers.on_disconnected = [this](const std::string& reason, bool will_retry) {
    state_.connection = session_.status();
    state_.joined = false;
    state_.connection_detail = reason;
    state_.reconnect_attempt = session_.attempt();
    state_.next_retry_ms = session_.next_attempt_at_ms();
    if (will_retry && session_.attempt() == 1 && session_.status() == ConnectionStatus::reconnecting) {
      state_.notify(NoticeLevel::warning, "Connection lost", "Trying to reconnect…", now_, 4000);
    }
  };
  handlers.on_reconnect_attempt = [this](int attempt) {
    state_.reconnect_attempt = attempt;
    log(true, "reconnect_attempt " + std::to_string(attempt));
  };
  handlers.on_reconnect_failed = [this] {
    state_.connection = ConnectionStatus::disconnected;
    state_.notify(NoticeLevel::error, "Offline",
                  "Could not reconnect after " + std::to_string(session_.max_attempts()) +
                      " attempts. Use Retry in the status bar.",
                  now_, 10000);
  };
  handlers.on_connect_error = [this](const std::string& message) {
    state_.connection = ConnectionStatus::disconnected;
    state_.notify(NoticeLevel::error, "Signed out", "The server refused the session (" + message + "). Sign in again.",
                  now_, 10000);
    sign_out();
  };
  handlers.on_frame = [this](bool outgoing, std::string_view frame) { log(outgoing, frame); };
  session_.set_handlers(std::move(handlers));
}

// [Account] ------------------------------------------------------------------------

void Client::after_sign_in(const ApiResult& result) {
  state_.auth_busy = false;
  if (!result.ok()) {
    state_.auth_error = result.error;
    return;
  }
  const json& body = result.body;
  const std::string token = body.value("token", "");
  const json user = body.value("user", json::object());
  if (token.empty() || !user.is_object()) {
    state_.auth_error = errors::make(errors::unexpected_answer);
    return;
  }
  state_.auth_error = nullptr;
  state_.token = token;
  state_.user = User{id_string(user.value("id", json())), user.value("username", "")};
  api_.set_token(token);
  if (on_token_changed) on_token_changed(token);
  connect_socket();
  refresh_universes();
}

void Client::register_user(const std::string& username, const std::string& password) {
  state_.auth_busy = true;
  state_.auth_error = nullptr;
  api_.register_user(username, password, [this](const ApiResult& r) { after_sign_in(r); });
}

void Client::sign_in(const std::string& username, const std::string& password) {
  state_.auth_busy = true;
  state_.auth_error = nullptr;
  api_.login(username, password, [this](const ApiResult& r) { after_sign_in(r); });
}

void Client::sign_in_with_token(const std::string& token) {
  state_.auth_busy = true;
  state_.auth_error = nullptr;
  api_.set_token(token);
  api_.me([this, token](const ApiResult& r) {
    state_.auth_busy = false;
    if (!r.ok()) {
      api_.set_token("");
      if (r.status == 401 || r.status == 403) {
        if (on_token_changed) on_token_changed("");
        state_.auth_error = errors::make(errors::session_expired);
      } else {
        state_.auth_error = r.error;
      }
      return;
    }
    json body = r.body;
    json user = body.contains("user") ? body["user"] : body;
    ApiResult fake = r;
    fake.body = {{"token", token}, {"user", user}};
    after_sign_in(fake);
  });
}

void Client::sign_out() {
  if (state_.joined) session_.emit("universe:leave", {{"universe_id", state_.universe_id}});
  session_.close();
  state_.connection = ConnectionStatus::disconnected;
  state_.clear_universe();
  state_.universes.clear();
  state_.universes_next_cursor.reset();
  state_.universes_loading = false;
  ++universe_list_generation_;  // an answer still on its way belongs to the old account
  state_.user.reset();
  state_.token.clear();
  changes_.clear();
  api_.set_token("");
  if (on_token_changed) on_token_changed("");
  if (on_universe_changed) on_universe_changed("");
}

void Client::connect_socket() {
  state_.connection = ConnectionStatus::connecting;
  session_.open(socket_url_for(config_.origin), {{"token", state_.token}}, now_);
}

void Client::retry_connection() {
  if (state_.token.empty()) return;
  if (session_.status() == ConnectionStatus::disconnected) {
    session_.retry_now(now_);
    state_.connection = session_.status();
  }
}

void Client::dismiss_notice(std::size_t index) {
  if (index < state_.notices.size()) state_.notices.erase(state_.notices.begin() + std::ptrdiff_t(index));
}

// [Universe list] ------------------------------------------------------------------

void Client::refresh_universes() { load_universe_page(std::nullopt); }

void Client::load_more_universes() {
  if (state_.universes_loading || !state_.universes_next_cursor) return;
  load_universe_page(state_.universes_next_cursor);
}

void Client::load_universe_page(const std::optional<std::string>& cursor) {
  state_.universes_loading = true;
  // A refresh started meanwhile makes this answer stale: it must not append to the new list.
  const auto generation = ++universe_list_generation_;
  api_.list_universes(cursor, [this, generation, first_page = !cursor](const ApiResult& r) {
    if (generation != universe_list_generation_) return;
    state_.universes_loading = false;
    if (!r.ok()) {
      state_.universes_error = r.error;
      return;
    }
    state_.universes_error = nullptr;
    const json& list = r.body.is_array() ? r.body : r.body.value("universes", json::array());
    if (first_page) state_.universes.clear();
    for (const auto& u : list) {
      auto summary = summary_from(u);
      // One created here since the first page was read is already at the top.
      const bool known = std::any_of(state_.universes.begin(), state_.universes.end(),
                                     [&](const UniverseSummary& shown) { return shown.id == summary.id; });
      if (!known) state_.universes.push_back(std::move(summary));
    }
    const auto next = r.body.is_object() ? r.body.find("next_cursor") : r.body.end();
    if (r.body.is_object() && next != r.body.end() && next->is_string()) {
      state_.universes_next_cursor = next->get<std::string>();
    } else {
      state_.universes_next_cursor.reset();
    }
  });
}

void Client::create_universe(const std::string& name, const std::string& description, bool is_public) {
  api_.create_universe({{"name", name}, {"description", description}, {"is_public", is_public}},
                       [this](const ApiResult& r) {
                         if (!r.ok()) {
                           state_.notify_error("Could not create the universe", r.error, now_);
                           return;
                         }
                         auto summary = summary_from(r.body);
                         if (summary.role.empty()) summary.role = "owner";
                         state_.universes.insert(state_.universes.begin(), summary);
                         state_.notify(NoticeLevel::success, "Universe created", summary.name, now_, 3000);
                       });
}

void Client::rename_universe(const std::string& id, const std::string& name, const std::string& description) {
  api_.update_universe(id, {{"name", name}, {"description", description}}, [this, id](const ApiResult& r) {
    if (!r.ok()) {
      state_.notify_error("Could not rename", r.error, now_);
      return;
    }
    for (auto& u : state_.universes) {
      if (u.id == id) {
        u.name = r.body.value("name", u.name);
        u.description = r.body.value("description", u.description);
      }
    }
  });
}

void Client::set_universe_public(const std::string& id, bool is_public) {
  api_.update_universe(id, {{"is_public", is_public}}, [this, id](const ApiResult& r) {
    if (!r.ok()) {
      state_.notify_error("Could not change visibility", r.error, now_);
      return;
    }
    for (auto& u : state_.universes) {
      if (u.id == id) u.is_public = r.body.value("is_public", u.is_public);
    }
  });
}

void Client::delete_universe(const std::string& id) {
  api_.delete_universe(id, [this, id](const ApiResult& r) {
    if (!r.ok()) {
      state_.notify_error("Could not delete", r.error, now_);
      return;
    }
    std::erase_if(state_.universes, [&](const UniverseSummary& u) { return u.id == id; });
    if (state_.universe_id == id) leave_universe();
  });
}

void Client::load_collaborators(const std::string& id) {
  api_.list_collaborators(id, [this, id](const ApiResult& r) {
    if (!r.ok()) return;
    std::vector<std::string> names;
    for (const auto& c : r.body.value("collaborators", json::array())) names.push_back(c.value("username", ""));
    state_.collaborators[id] = std::move(names);
  });
}

void Client::add_collaborator(const std::string& id, const std::string& username) {
  api_.add_collaborator(id, username, [this, id, username](const ApiResult& r) {
    if (!r.ok()) {
      state_.notify_error("Could not add " + username, r.error, now_);
      return;
    }
    state_.notify(NoticeLevel::success, "Collaborator added", username + " can now edit this universe.", now_, 4000);
    load_collaborators(id);
  });
}

// [Inside a universe] --------------------------------------------------------------

void Client::open_universe(const std::string& id) {
  if (state_.universe_id == id && state_.joined) return;
  if (state_.joined && state_.universe_id != id) {
    session_.emit("universe:leave", {{"universe_id", state_.universe_id}});
  }
  state_.clear_universe();
  changes_.clear();
  state_.universe_id = id;
  for (const auto& u : state_.universes) {
    if (u.id == id) {
      state_.universe = {{"id", u.id}, {"name", u.name}, {"description", u.description}, {"role", u.role}};
      state_.read_only = u.role == "viewer";
    }
  }
  if (on_universe_changed) on_universe_changed(id);
  join_current();
}

void Client::join_current() {
  sync_retry_at_ = -1;  // a retry belongs to the sync of the universe that was open
  if (state_.universe_id.empty() || session_.status() != ConnectionStatus::connected) return;
  const std::string id = state_.universe_id;
  const bool resync = state_.last_sync_ms > 0 || !state_.parameters.empty();
  const double last_sync = state_.last_sync_ms;
  session_.emit("universe:join", {{"universe_id", id}}, [this, id](const json& ack) {
    if (ack.is_object() && ack.value("ok", true) == false) {
      const json error = ack.value("error", json::object());
      const std::string code = error.is_object() ? error.value("code", "") : "";
      if (code == "disconnected" || code == "timeout") return;  // rejoined on reconnection
      state_.notify_error("Cannot open this universe", error, now_, 8000);
      if (state_.universe_id == id) {
        state_.clear_universe();
        if (on_universe_changed) on_universe_changed("");
      }
    }
  });
  if (resync) {
    // After a reconnection: ask for what happened while we were away.
    sync_since_ = last_sync;
    request_sync_page(nullptr);
  }
  presence_sent_.clear();
}

void Client::request_sync_page(const json& cursor) {
  sync_retry_at_ = -1;
  // A whole number of ms: the server refuses fractions (the sync point may move earlier;
  // what comes twice is merged by seq and id).
  json request = {{"universe_id", state_.universe_id}, {"last_sync", static_cast<std::int64_t>(std::floor(sync_since_))}};
  if (!cursor.is_null()) request["cursor"] = cursor;
  const std::string id = state_.universe_id;
  session_.emit("state:sync", request, [this, id, cursor](const json& ack) {
    if (!ack.is_object() || ack.value("ok", true) || state_.universe_id != id) return;
    const json error = ack.value("error", json::object());
    if (error.is_object() && error.value("code", "") == "rate_limited") {
      // A page costs several events of the budget; wait for it to refill, then go on.
      sync_retry_cursor_ = cursor;
      sync_retry_at_ = now_ + 1000;
    }
  });
}

void Client::leave_universe() {
  sync_retry_at_ = -1;
  if (!state_.universe_id.empty() && session_.status() == ConnectionStatus::connected) {
    session_.emit("universe:leave", {{"universe_id", state_.universe_id}});
  }
  state_.clear_universe();
  changes_.clear();
  cursor_dirty_ = false;
  cursor_hidden_ = true;  // the room forgets us, and our cursor with us
  if (on_universe_changed) on_universe_changed("");
  refresh_universes();
}

// Leading edge (docs/latency.md): an edit or cursor move after a quiet spell leaves now,
// in the frame that saw the input; the coalescing interval only limits how soon the
// following ones go (update() sends what is left at the interval's end, latest value).
void Client::send_due_edits() {
  if (!state_.joined || session_.status() != ConnectionStatus::connected) return;
  if (auto message = changes_.take_due(state_.universe_id, now_)) {
    state_.edit_sent_frame = state_.frames;
    emit_checked(message->event, message->payload, "Change refused");
  }
  if (cursor_dirty_ && now_ - last_cursor_sent_ >= config_.cursor_interval_ms) {
    cursor_dirty_ = false;
    last_cursor_sent_ = now_;
    json cursor = {{"universe_id", state_.universe_id}, {"position", {{"x", cursor_x_}, {"y", cursor_y_}}}};
    if (cursor_hidden_) cursor["hidden"] = true;
    session_.emit("collaboration:cursor", cursor);
  }
}

void Client::edit_parameter(const std::string& category, const std::string& name, const json& value) {
  if (state_.read_only) return;
  changes_.edit(category, name, value, now_);
  send_due_edits();
}

void Client::choose_parameter(const std::string& category, const std::string& name, const json& value) {
  if (state_.read_only) return;
  json from = nullptr;
  auto cat = state_.parameters.find(category);
  if (cat != state_.parameters.end() && cat->contains(name)) from = (*cat)[name];
  if (from.is_null()) {
    changes_.edit(category, name, value, now_);
  } else {
    changes_.edit_discrete(category, name, from, value, now_);
  }
  send_due_edits();
}

void Client::emit_checked(const std::string& name, const json& payload, const char* what) {
  std::string label = what;
  session_.emit(name, payload, [this, label, name](const json& ack) {
    if (!ack.is_object() || ack.value("ok", true)) return;
    const json error = ack.value("error", json::object());
    const std::string code = error.is_object() ? error.value("code", "") : "";
    if (code == "disconnected" || code == "timeout") return;  // the status bar says so
    const json details = error.is_object() ? error.value("details", json::object()) : json::object();
    if (details.is_object() && details.value("reason", "") == "conflict") {
      // Someone changed it first: show their value (the server sent it back).
      const json current = details.value("current", json::object());
      if (name == "parameter:delta" && current.is_object()) {
        state_.notify(NoticeLevel::warning, "Changed by someone else",
                      "Another person changed this at the same time; showing their value.", now_, 4000);
        session_.emit("parameter:sync", {{"universe_id", state_.universe_id}});
        changes_.clear();
      }
      return;
    }
    if (code == "rate_limited") {
      state_.notify(NoticeLevel::warning, "Slow down", "Some changes were not applied (rate limit).", now_, 3000);
      return;
    }
    state_.notify_error(label, error, now_);
    if (name.rfind("parameter:", 0) == 0) changes_.clear();  // show the server's values again
  });
}

void Client::reset_category(const std::string& category) {
  if (state_.read_only || state_.universe_id.empty()) return;
  emit_checked("parameter:reset", {{"universe_id", state_.universe_id}, {"category", category}},
               "Reset was refused");
}

void Client::send_chat(const std::string& message) {
  if (message.empty() || state_.universe_id.empty()) return;
  emit_checked("collaboration:message", {{"universe_id", state_.universe_id}, {"message", message}},
               "Message not sent");
}

void Client::move_cursor(double world_x, double world_y) {
  if (!cursor_hidden_ && world_x == cursor_x_ && world_y == cursor_y_) return;
  cursor_x_ = world_x;
  cursor_y_ = world_y;
  cursor_hidden_ = false;
  cursor_dirty_ = true;
  send_due_edits();
}

void Client::hide_cursor() {
  if (cursor_hidden_) return;
  cursor_hidden_ = true;
  cursor_dirty_ = true;  // at the last position, like a move, within the same interval
  send_due_edits();
}

void Client::note_activity(double now_ms) { last_activity_ = now_ms; }

void Client::set_page_visible(bool visible) { page_visible_ = visible; }

void Client::presence_tick() {
  if (!state_.joined) return;
  const double quiet = now_ - last_activity_;
  std::string status = "active";
  if (!page_visible_ || quiet >= config_.away_after_ms) status = "away";
  else if (quiet >= config_.idle_after_ms) status = "idle";
  if (status == presence_sent_) return;
  presence_sent_ = status;
  session_.emit("collaboration:presence", {{"universe_id", state_.universe_id}, {"status", status}});
  if (state_.user) {
    for (auto& p : state_.participants) {
      if (p.id == state_.user->id) p.status = status;
    }
  }
}

// [Events and the frame] -----------------------------------------------------------

void Client::handle_event(const protocol::Event& event) {
  apply_event(state_, event.name, event.payload, now_);
  if (event.name == "parameter:reset") changes_.clear();
  if (event.name == "system:error" && removes_from(event.payload, state_.universe_id)) {
    changes_.clear();
    state_.clear_universe();
    if (on_universe_changed) on_universe_changed("");
    return;
  }
  if (event.name == "state:synced" && event.payload.is_object() && event.payload.value("has_more", false) &&
      id_string(event.payload.value("universe_id", json())) == state_.universe_id) {
    request_sync_page(event.payload.value("cursor", json::object()));  // the next page
  }
  if (event.name == "state:initial") {
    // The point from which a later state:sync asks for news: the newest thing we hold.
    double newest = 0;
    for (const auto& h : state_.history) newest = std::max(newest, h.timestamp);
    for (const auto& m : state_.chat) newest = std::max(newest, m.timestamp);
    state_.last_sync_ms = newest > 0 ? newest : now_;
  }
  if (event.name == "state:initial" || event.name == "universe:joined") {
    for (auto& u : state_.universes) {
      if (u.id == state_.universe_id) state_.read_only = (u.role == "viewer");
    }
  }
}

void Client::log(bool outgoing, std::string_view frame) {
  if (state_.debug_level <= 0) return;
  LogEntry entry;
  entry.at_ms = now_;
  entry.outgoing = outgoing;
  if (frame.size() >= 2 && frame[0] == '4' && frame[1] == '2') {
    // 42[<id>]["name",payload]
    auto bracket = frame.find('[');
    auto parsed = bracket == std::string_view::npos ? std::optional<json>()
                                                    : protocol::parse_untrusted_json(frame.substr(bracket));
    if (parsed && parsed->is_array() && !parsed->empty() && (*parsed)[0].is_string()) {
      entry.name = (*parsed)[0].get<std::string>();
      if (state_.debug_level < 3 && entry.name == "collaboration:cursor") return;
      entry.payload = shorten(parsed->size() > 1 ? (*parsed)[1].dump() : "", state_.debug_level >= 2 ? 2000 : 160);
    } else {
      entry.name = "event";
      entry.payload = shorten(std::string(frame), 160);
    }
  } else if (frame.size() >= 2 && frame[0] == '4' && frame[1] == '3') {
    if (state_.debug_level < 2) return;
    entry.name = "ack";
    entry.payload = shorten(std::string(frame.substr(2)), 400);
  } else if (frame == "2" || frame == "3") {
    if (state_.debug_level < 3) return;
    entry.name = frame == "2" ? "ping" : "pong";
  } else if (!frame.empty() && frame[0] == '0') {
    entry.name = "open";
    entry.payload = shorten(std::string(frame.substr(1)), 200);
  } else if (frame.rfind("40", 0) == 0) {
    entry.name = "connect";
    entry.payload = outgoing ? "{auth}" : shorten(std::string(frame.substr(2)), 200);  // never log the token
  } else if (frame.rfind("44", 0) == 0) {
    entry.name = "connect_error";
    entry.payload = shorten(std::string(frame.substr(2)), 200);
  } else {
    entry.name = shorten(std::string(frame), 60);
  }
  state_.event_log.push_back(std::move(entry));
  while (state_.event_log.size() > kMaxLog) state_.event_log.pop_front();
}

void Client::update(double now_ms) {
  now_ = now_ms;
  session_.update(now_ms);
  state_.connection = session_.status();
  if (state_.connection != ConnectionStatus::connected) state_.reconnect_attempt = session_.attempt();
  state_.next_retry_ms = session_.next_attempt_at_ms();

  if (state_.joined && session_.status() == ConnectionStatus::connected) {
    send_due_edits();
    presence_tick();
  }
  if (sync_retry_at_ >= 0 && now_ms >= sync_retry_at_ && !state_.universe_id.empty() &&
      session_.status() == ConnectionStatus::connected) {
    request_sync_page(sync_retry_cursor_);
  }
  changes_.expire(now_ms);
  std::erase_if(state_.notices, [&](const Notice& n) { return now_ms - n.at_ms > n.duration_ms; });
  std::erase_if(state_.cursors, [&](const auto& entry) { return now_ms - entry.second.updated_ms > 60000; });
}

}  // namespace harmonic::client
