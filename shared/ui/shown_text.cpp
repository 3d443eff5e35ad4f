#include "ui/shown_text.hpp"

namespace harmonic::ui {

namespace {
void visit_string_field(const nlohmann::json& object, const char* name,
                        const std::function<void(std::string_view)>& visit) {
  if (!object.is_object()) return;
  const auto it = object.find(name);
  if (it != object.end() && it->is_string()) visit(it->get_ref<const std::string&>());
}
}  // namespace

void for_each_shown_text(const client::ClientState& s, const std::function<void(std::string_view)>& visit) {
  if (s.user) visit(s.user->username);
  for (const auto& u : s.universes) {
    visit(u.name);
    visit(u.description);
  }
  for (const auto& [id, names] : s.collaborators) {
    for (const auto& name : names) visit(name);
  }
  visit_string_field(s.universe, "name", visit);
  visit_string_field(s.universe, "description", visit);
  for (const auto& p : s.participants) visit(p.username);
  for (const auto& [id, cursor] : s.cursors) visit(cursor.username);
  for (const auto& m : s.chat) {
    visit(m.username);
    visit(m.message);
  }
  for (const auto& n : s.notices) {
    visit(n.title);
    visit(n.text);
    visit_string_field(n.error, "message", visit);
  }
}

}  // namespace harmonic::ui
