// Where the program was started from and where the current view lives: the page
// URL on the web, the command line and the settings file on the desktop.
#pragma once

#include <string>

namespace harmonic::frontend {

// How the program was started: from the page URL (web) or the command line (desktop).
struct StartupOptions {
  std::string server_origin;  // http://host:port of harmonic-server
  std::string token;          // a token handed over by another tool (#token=...)
  std::string universe_id;    // open this universe directly (#universe=...)
  int debug_level = 0;        // ?debug=1..3: show the event log
};

class Location {
 public:
  virtual ~Location() = default;
  // The current view: "universe=ID" or "" (web: the URL fragment, without the token;
  // desktop: the universe to reopen next time).
  virtual void set(const std::string& fragment) = 0;
  // A link that opens `universe_id` directly (origin + "/#universe=ID" on both: the
  // person who gets it opens it in a browser).
  virtual std::string universe_link(const std::string& universe_id) const = 0;
};

}  // namespace harmonic::frontend
