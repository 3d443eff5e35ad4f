# Finds the third-party libraries, all from Debian packages (scripts/install-deps.sh).
# The WebAssembly build may not see /usr/include (host glibc headers break em++), so the
# header-only libraries it needs are exposed through a folder of symlinks instead.

if(HARMONIC_WEB)
  set(HARMONIC_WEB_INCLUDES "${CMAKE_BINARY_DIR}/web-includes")
  file(MAKE_DIRECTORY "${HARMONIC_WEB_INCLUDES}")
  if(NOT EXISTS "${HARMONIC_WEB_INCLUDES}/nlohmann")
    file(CREATE_LINK /usr/include/nlohmann "${HARMONIC_WEB_INCLUDES}/nlohmann" SYMBOLIC)
  endif()
  add_library(nlohmann_json_web INTERFACE)
  target_include_directories(nlohmann_json_web SYSTEM INTERFACE "${HARMONIC_WEB_INCLUDES}")
  add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json_web)
else()
  find_package(nlohmann_json 3 REQUIRED)
endif()

# The UI's font for the characters DejaVu lacks (CJK: kana, Hangul, ideographs), from
# fonts-wqy-microhei (scripts/install-deps.sh): the desktop reads it when text needs it,
# the web build stages it into its site for the browser to fetch then (docs/client.md,
# "Text in every script"). Never committed.
set(HARMONIC_FALLBACK_FONT "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc" CACHE FILEPATH
    "TrueType font (or collection: its first face) for characters DejaVu Sans lacks")
