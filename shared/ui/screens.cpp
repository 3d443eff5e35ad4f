// The screens a person sees before entering a universe: sign in / register, and the
// list of their universes, the ones shared with them and the public ones.
#include <algorithm>
#include <cstring>

#include "imgui.h"
#include "ui/notices.hpp"
#include "ui/display_text.hpp"
#include "ui/theme.hpp"
#include "ui/view.hpp"
#include "ui/widgets.hpp"

namespace harmonic::ui {

namespace {

constexpr ImGuiWindowFlags kCardFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize;

void brand(Frame& f, float width) {
  ImGui::PushFont(f.fonts.title);
  const char* title = "Harmonic Universe";
  center_next(ImGui::CalcTextSize(title).x);
  ImGui::TextColored(ImVec4(0.55f, 0.80f, 1.0f, 1.0f), "%s", title);
  ImGui::PopFont();
  const char* tagline = "Physics you can hear. Music you can see. Built together, live.";
  ImGui::PushFont(f.fonts.small);
  center_next(std::min(width, ImGui::CalcTextSize(tagline).x));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
  ImGui::TextDisabled("%s", tagline);
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
}

bool tab_button(const char* label, bool active, float width) {
  ImGui::PushStyleColor(ImGuiCol_Button, active ? ImVec4(0.21f, 0.32f, 0.50f, 1) : ImVec4(0, 0, 0, 0));
  const bool pressed = ImGui::Button(label, ImVec2(width, 0));
  ImGui::PopStyleColor();
  return pressed;
}

const char* role_label(const std::string& role) {
  if (role == "owner") return "owner";
  if (role == "collaborator") return "editor";
  if (role == "viewer") return "public";
  return role.c_str();
}

ImU32 role_color(const std::string& role) {
  if (role == "owner") return IM_COL32(52, 92, 150, 255);
  if (role == "collaborator") return IM_COL32(52, 120, 90, 255);
  return IM_COL32(80, 80, 100, 255);
}

}  // namespace

void draw_sign_in_screen(Frame& f) {
  const HitTargetStyle hit_targets(min_hit_target(f.display()));
  auto& view = f.view;
  const float width = std::min(400.0f, f.display_w - 32);
  // Centred in what the on-screen keyboard leaves, so the field being typed in shows.
  ImGui::SetNextWindowPos(ImVec2(f.display_w * 0.5f, visible_height(f.display()) * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(28, 24));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.06f, 0.075f, 0.11f, 0.9f));
  ImGui::Begin("##signin", nullptr, kCardFlags);
  const float inner = ImGui::GetContentRegionAvail().x;
  brand(f, inner);
  ImGui::Dummy(ImVec2(0, 10));

  const float half = (inner - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  if (tab_button("Sign in", !view.register_mode, half)) view.register_mode = false;
  record_widget(f, "signin.tab_signin");
  ImGui::SameLine();
  if (tab_button("Create account", view.register_mode, half)) view.register_mode = true;
  record_widget(f, "signin.tab_register");
  ImGui::Dummy(ImVec2(0, 4));

  ImGui::TextUnformatted("Username");
  ImGui::SetNextItemWidth(-1);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  bool submit = ImGui::InputText("##username", view.username.data(), view.username.size(),
                                 ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CharsNoBlank);
  record_widget(f, "signin.username");
  ImGui::TextUnformatted("Password");
  ImGui::SetNextItemWidth(-1);
  submit |= ImGui::InputText("##password", view.password.data(), view.password.size(),
                             ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_Password);
  record_widget(f, "signin.password");
  if (view.register_mode) {
    ImGui::PushFont(f.fonts.small);
    ImGui::TextDisabled("3-32 letters, digits, _ - . ; password at least 8 characters");
    ImGui::PopFont();
  }
  ImGui::Dummy(ImVec2(0, 4));

  const bool busy = f.state.auth_busy;
  ImGui::BeginDisabled(busy);
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.20f, 0.45f, 0.80f, 1));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.26f, 0.55f, 0.92f, 1));
  const char* label = busy ? "Please wait…" : (view.register_mode ? "Create account" : "Sign in");
  submit |= ImGui::Button(label, ImVec2(-1, std::max(36.0f, ImGui::GetFrameHeight())));
  record_widget(f, "signin.submit");
  ImGui::PopStyleColor(2);
  ImGui::EndDisabled();
  if (submit && !busy && view.username[0] && view.password[0]) {
    if (view.register_mode) f.client.register_user(view.username.data(), view.password.data());
    else f.client.sign_in(view.username.data(), view.password.data());
  }
  if (!f.state.auth_error.is_null()) {
    ImGui::Dummy(ImVec2(0, 2));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colors::error));
    ImGui::TextWrapped("%s", describe_error(f.state.auth_error).c_str());
    ImGui::PopStyleColor();
  }
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
}

namespace {

// Wide enough for the owner's four buttons in the current font, so none is clipped.
float actions_column_width() {
  const auto& style = ImGui::GetStyle();
  float width = 0;
  for (const char* label : {"Open", "Copy link", "Edit", "Delete"}) {
    width += ImGui::CalcTextSize(label).x + style.FramePadding.x * 2;
  }
  return width + style.ItemSpacing.x * 3 + 4;
}

void universe_row(Frame& f, const client::UniverseSummary& u) {
  auto& view = f.view;
  ImGui::PushID(u.id.c_str());
  ImGui::TableNextRow(ImGuiTableRowFlags_None, 44);
  ImGui::TableSetColumnIndex(0);
  // The whole name row is the double-click target; the role badges sit right after the
  // name, drawn over the row, so they read as part of the title.
  const ImVec2 start = ImGui::GetCursorPos();
  // A long name is shortened with "…" so that it and its badges fit (a phone's width).
  const float badge_pad = 14 + ImGui::GetStyle().ItemSpacing.x;
  float badges_w = 12 + ImGui::CalcTextSize(role_label(u.role)).x + badge_pad;
  if (u.is_public && u.role != "viewer") badges_w += ImGui::CalcTextSize("public").x + badge_pad;
  const float title_room = std::max(40.0f, ImGui::GetContentRegionAvail().x - badges_w);
  ImGui::PushFont(f.fonts.large);
  const std::string title = fit_text(u.name.empty() ? "(untitled)" : u.name, title_room);
  const float title_w = ImGui::CalcTextSize(title.c_str()).x;
  const bool open = ImGui::Selectable((title + "###title").c_str(), false,
                                      ImGuiSelectableFlags_AllowDoubleClick | ImGuiSelectableFlags_AllowItemOverlap);
  record_widget(f, "universe." + u.id);
  const float title_h = ImGui::GetItemRectSize().y;
  ImGui::PopFont();
  if (open && ImGui::IsMouseDoubleClicked(0)) f.client.open_universe(u.id);
  const ImVec2 after_title = ImGui::GetCursorPos();
  ImGui::SetCursorPos(ImVec2(start.x + title_w + 12, start.y + (title_h - ImGui::GetTextLineHeight()) * 0.5f - 1));
  badge(role_label(u.role), role_color(u.role));
  if (u.is_public && u.role != "viewer") {
    ImGui::SameLine();
    badge("public", IM_COL32(90, 70, 130, 255));
  }
  ImGui::SetCursorPos(after_title);
  if (!u.description.empty()) {
    ImGui::PushFont(f.fonts.small);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", u.description.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
  }
  // Compact tables have one column: the buttons take the next row.
  if (ImGui::TableGetColumnCount() > 1) {
    ImGui::TableSetColumnIndex(1);
  } else {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
  }
  if (ImGui::Button("Open")) f.client.open_universe(u.id);
  record_widget(f, "universe.open." + u.id);
  ImGui::SameLine();
  if (ImGui::Button("Copy link")) f.actions.copy_link(u.id);
  record_widget(f, "universe.copy." + u.id);
  const bool owner = u.role == "owner";
  const bool editor = owner || u.role == "collaborator";
  if (editor) {
    ImGui::SameLine();
    if (ImGui::Button("Edit")) {
      view.editing_id = u.id;
      std::snprintf(view.edit_name.data(), view.edit_name.size(), "%s", u.name.c_str());
      std::snprintf(view.edit_description.data(), view.edit_description.size(), "%s", u.description.c_str());
      view.share_username[0] = 0;
      if (owner) f.client.load_collaborators(u.id);
      ImGui::OpenPopup("Edit universe");
    }
    record_widget(f, "universe.edit." + u.id);
  }
  if (owner) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.45f, 0.16f, 0.20f, 1));
    if (ImGui::Button("Delete")) {
      view.confirm_delete_id = u.id;
      ImGui::OpenPopup("Delete universe?");
    }
    record_widget(f, "universe.delete." + u.id);
    ImGui::PopStyleColor();
  }

  // Dialogs belong to the row so their popup ids match the buttons that open them.
  ImGui::SetNextWindowSize(ImVec2(420, 0));
  if (ImGui::BeginPopupModal("Edit universe", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted("Name");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##name", view.edit_name.data(), view.edit_name.size());
    record_widget(f, "edit.name");
    ImGui::TextUnformatted("Description");
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextMultiline("##description", view.edit_description.data(), view.edit_description.size(),
                              ImVec2(-1, 70));
    record_widget(f, "edit.description");
    if (ImGui::Button("Save", ImVec2(120, 0)) && view.edit_name[0]) {
      f.client.rename_universe(u.id, view.edit_name.data(), view.edit_description.data());
      ImGui::CloseCurrentPopup();
    }
    record_widget(f, "edit.save");
    if (owner) {
      ImGui::Separator();  // from here on: who may see and change it, applied at once
      bool is_public = u.is_public;
      if (ImGui::Checkbox("Public (anyone signed in can watch)", &is_public)) {
        f.client.set_universe_public(u.id, is_public);
      }
      record_widget(f, "edit.public");
      ImGui::Separator();
      ImGui::TextUnformatted("Collaborators");
      auto it = f.state.collaborators.find(u.id);
      if (it == f.state.collaborators.end() || it->second.empty()) {
        ImGui::TextDisabled("Nobody yet. Add someone by username:");
      } else {
        for (const auto& name : it->second) {
          avatar(name, user_color(name), 9);
          ImGui::SameLine();
          ImGui::TextUnformatted(name.c_str());
          record_widget(f, "edit.collaborator." + name);
        }
      }
      ImGui::SetNextItemWidth(-90);
      const bool enter = ImGui::InputTextWithHint("##share", "username", view.share_username.data(),
                                                  view.share_username.size(), ImGuiInputTextFlags_EnterReturnsTrue);
      record_widget(f, "edit.share_username");
      ImGui::SameLine();
      const bool add = ImGui::Button("Add", ImVec2(-1, 0));
      record_widget(f, "edit.share_add");
      if ((add || enter) && view.share_username[0]) {
        f.client.add_collaborator(u.id, view.share_username.data());
        view.share_username[0] = 0;
      }
    }
    ImGui::Separator();
    if (ImGui::Button("Close", ImVec2(120, 0))) ImGui::CloseCurrentPopup();
    record_widget(f, "edit.close");
    ImGui::EndPopup();
  }
  if (ImGui::BeginPopupModal("Delete universe?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("Delete \"%s\" for everyone? This cannot be undone.", u.name.c_str());
    ImGui::Dummy(ImVec2(0, 4));
    ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.62f, 0.18f, 0.22f, 1));
    if (ImGui::Button("Delete", ImVec2(120, 0))) {
      f.client.delete_universe(u.id);
      ImGui::CloseCurrentPopup();
    }
    record_widget(f, "delete.confirm");
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (ImGui::Button("Cancel", ImVec2(120, 0))) ImGui::CloseCurrentPopup();
    record_widget(f, "delete.cancel");
    ImGui::EndPopup();
  }
  ImGui::PopID();
}

void universe_section(Frame& f, const char* title, const char* empty_text,
                      const std::vector<const client::UniverseSummary*>& list) {
  ImGui::PushFont(f.fonts.large);
  ImGui::TextUnformatted(title);
  record_widget(f, std::string("list.section.") + title);
  ImGui::PopFont();
  if (list.empty()) {
    ImGui::PushFont(f.fonts.small);
    ImGui::TextDisabled("%s", empty_text);
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, 6));
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_PadOuterX;
  // Compact: one column, so each universe's buttons go on the row under its name.
  const bool compact = layout_mode(f.display()) == LayoutMode::compact;
  if (ImGui::BeginTable(title, compact ? 1 : 2, flags)) {
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch);
    if (!compact) ImGui::TableSetupColumn("Actions", ImGuiTableColumnFlags_WidthFixed, actions_column_width());
    for (const auto* u : list) universe_row(f, *u);
    ImGui::EndTable();
  }
  ImGui::Dummy(ImVec2(0, 8));
}

}  // namespace

void draw_universe_list_screen(Frame& f) {
  const HitTargetStyle hit_targets(min_hit_target(f.display()));
  const bool compact = layout_mode(f.display()) == LayoutMode::compact;
  auto& view = f.view;
  const float width = std::min(820.0f, f.display_w - 24);
  // The card leaves a strip at the bottom so a toast ("Collaborator added") does not
  // cover the list (ui/notices.hpp).
  const float bottom_limit = f.display_h - kToastStrip - kToastMargin;
  const float height = std::min(bottom_limit - 16, 720.0f);
  const float top = std::max(16.0f, (bottom_limit - height) * 0.5f);
  ImGui::SetNextWindowPos(ImVec2(f.display_w * 0.5f, top), ImGuiCond_Always, ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(width, height), ImGuiCond_Always);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(22, 18));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.06f, 0.075f, 0.11f, 0.9f));
  ImGui::Begin("##universes", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                            ImGuiWindowFlags_NoSavedSettings);
  {
    const ImVec2 pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    f.view.widgets["panel.list"] = Rect{pos.x, pos.y, size.x, size.y};
  }
  // Header: brand on the left, the account on the right.
  ImGui::PushFont(f.fonts.title);
  ImGui::TextColored(ImVec4(0.55f, 0.80f, 1.0f, 1.0f), "Your universes");
  ImGui::PopFont();
  if (f.state.user) {
    const std::string who = f.state.user->username;
    const float right = ImGui::GetWindowContentRegionMax().x;
    // Compact: the account gets its own line under the title.
    if (!compact) {
      ImGui::SameLine(right - ImGui::CalcTextSize(who.c_str()).x - 110);
      ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 8);
    }
    avatar(who, user_color(f.state.user->id), 10);
    ImGui::SameLine();
    ImGui::TextUnformatted(who.c_str());
    ImGui::SameLine();
    if (compact ? ImGui::Button("Sign out") : ImGui::SmallButton("Sign out")) f.actions.sign_out();
    record_widget(f, "list.signout");
  }
  ImGui::Separator();

  // Create
  // Compact: name and description on their own lines, then Public and Create.
  ImGui::SetNextItemWidth(compact ? -1 : std::max(140.0f, width * 0.3f));
  bool create = ImGui::InputTextWithHint("##newname", "Name a new universe", view.new_name.data(),
                                         view.new_name.size(), ImGuiInputTextFlags_EnterReturnsTrue);
  record_widget(f, "list.new_name");
  if (!compact) ImGui::SameLine();
  ImGui::SetNextItemWidth(compact ? -1 : std::max(140.0f, width * 0.32f));
  ImGui::InputTextWithHint("##newdesc", "Description (optional)", view.new_description.data(),
                           view.new_description.size());
  record_widget(f, "list.new_description");
  if (!compact) ImGui::SameLine();
  ImGui::Checkbox("Public", &view.new_public);
  record_widget(f, "list.new_public");
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.20f, 0.45f, 0.80f, 1));
  create |= ImGui::Button("Create", ImVec2(-1, 0));
  ImGui::PopStyleColor();
  record_widget(f, "list.create");
  if (create && view.new_name[0]) {
    f.client.create_universe(view.new_name.data(), view.new_description.data(), view.new_public);
    view.new_name[0] = 0;
    view.new_description[0] = 0;
  }
  ImGui::Dummy(ImVec2(0, 4));

  // The footer's row: Refresh, finger-sized where targets are (ui/layout.hpp).
  const float hit = min_hit_target(f.display());
  const float footer_h = hit > 0 ? hit + ImGui::GetStyle().ItemSpacing.y : 28.0f;
  ImGui::BeginChild("##lists", ImVec2(0, -footer_h), false);
  std::vector<const client::UniverseSummary*> mine, shared, open;
  for (const auto& u : f.state.universes) {
    if (u.role == "owner") mine.push_back(&u);
    else if (u.role == "collaborator") shared.push_back(&u);
    else open.push_back(&u);
  }
  if (f.state.universes_loading && f.state.universes.empty()) {
    ImGui::TextDisabled("Loading…");
  } else if (!f.state.universes_error.is_null()) {
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colors::error), "%s", describe_error(f.state.universes_error).c_str());
  }
  universe_section(f, "Mine", "You have not made a universe yet. Name one above and press Create.", mine);
  universe_section(f, "Shared with me", "Nobody has shared a universe with you yet.", shared);
  universe_section(f, "Public", "No public universes right now.", open);
  // The server sends the list in pages, newest first; the next one on request.
  if (f.state.universes_next_cursor) {
    ImGui::Dummy(ImVec2(0, 4));
    if (f.state.universes_loading) {
      ImGui::TextDisabled("Loading more…");
    } else if (ImGui::Button("Load more universes")) {
      f.client.load_more_universes();
    }
    record_widget(f, "list.load_more");
  }
  ImGui::EndChild();

  ImGui::PushFont(f.fonts.small);
  if (!compact) {
    ImGui::TextDisabled("Double-click a universe to open it. Links open a universe directly.");
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 70);
  }
  if (hit > 0 ? ImGui::Button("Refresh", ImVec2(0, hit)) : ImGui::SmallButton("Refresh")) f.client.refresh_universes();
  record_widget(f, "list.refresh");
  ImGui::PopFont();
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
}

}  // namespace harmonic::ui
