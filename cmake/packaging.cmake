# cmake --install rules and CPack's two Debian packages (scripts/package.sh builds them):
#   harmonic-universe-server   harmonic-server, the web client's site, a hardened systemd
#                              unit, the documented config file; a system account and
#                              its data dir made by the maintainer scripts
#   harmonic-universe-desktop  harmonic-desktop with a .desktop entry and an icon
# Paths come from cmake/install_layout.cmake; the files from packaging/.
set(HARMONIC_PACKAGE_VERSION 0.1.0)
set(HARMONIC_SOURCE_PACKAGE ${HARMONIC_PACKAGE_NAME})
set(HARMONIC_PACKAGE_MAINTAINER "Harmonic Universe maintainers <maintainers@harmonic-universe.org>")
set(HARMONIC_SERVER_BINARY "${CMAKE_INSTALL_FULL_BINDIR}/harmonic-server")
# StateDirectory= takes the name below /var/lib.
file(RELATIVE_PATH HARMONIC_STATE_DIRECTORY /var/lib "${HARMONIC_DATA_DIR}")

set(packaging_src "${PROJECT_SOURCE_DIR}/packaging")
set(packaging_out "${CMAKE_BINARY_DIR}/packaging")
set(server_package ${HARMONIC_PACKAGE_NAME}-server)
set(desktop_package ${HARMONIC_PACKAGE_NAME}-desktop)

# Debian wants a copyright file and a changelog (gzip -9n) in each package's doc dir.
configure_file("${packaging_src}/changelog.in" "${packaging_out}/changelog" @ONLY)
find_program(GZIP_PROGRAM gzip REQUIRED)
add_custom_command(
  OUTPUT "${packaging_out}/changelog.gz"
  COMMAND "${GZIP_PROGRAM}" -9n --keep --force "${packaging_out}/changelog"
  DEPENDS "${packaging_out}/changelog"
  VERBATIM)
add_custom_target(harmonic-package-changelog ALL DEPENDS "${packaging_out}/changelog.gz")
foreach(component server desktop)
  install(FILES "${packaging_src}/copyright" "${packaging_out}/changelog.gz"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/${HARMONIC_PACKAGE_NAME}-${component}" COMPONENT ${component})
endforeach()

# [server] --------------------------------------------------------------------------
install(TARGETS harmonic-server RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT server)
install(FILES "${HARMONIC_SERVER_CONFIG}" DESTINATION "${HARMONIC_CONFIG_DIR}" COMPONENT server)
configure_file("${packaging_src}/harmonic-universe-server.service.in"
               "${packaging_out}/${HARMONIC_SERVICE_NAME}.service" @ONLY)
install(FILES "${packaging_out}/${HARMONIC_SERVICE_NAME}.service"
        DESTINATION "${HARMONIC_SYSTEMD_UNIT_DIR}" COMPONENT server)
# The staged WebAssembly client (scripts/build.sh web): without it the package would
# serve no client, so installing fails instead.
set(HARMONIC_WEB_SITE_DIR "${PROJECT_SOURCE_DIR}/build-web/site" CACHE PATH
    "The staged web client (scripts/build.sh web) that harmonic-universe-server ships")
install(CODE "
  if(NOT EXISTS \"${HARMONIC_WEB_SITE_DIR}/harmonic-web.wasm\")
    message(FATAL_ERROR \"no web client in ${HARMONIC_WEB_SITE_DIR}: run scripts/build.sh web first\")
  endif()" COMPONENT server)
install(DIRECTORY "${HARMONIC_WEB_SITE_DIR}/" DESTINATION "${HARMONIC_SITE_INSTALL_DIR}" COMPONENT server)

foreach(script postinst prerm postrm conffiles)
  configure_file("${packaging_src}/server-${script}.in" "${packaging_out}/server/${script}" @ONLY)
endforeach()

# [desktop] -------------------------------------------------------------------------
if(TARGET harmonic-desktop)
  install(TARGETS harmonic-desktop RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT desktop)
  install(FILES "${packaging_src}/${desktop_package}.desktop"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/applications" COMPONENT desktop)
  install(FILES "${PROJECT_SOURCE_DIR}/web-assets/favicon.svg" RENAME ${HARMONIC_PACKAGE_NAME}.svg
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps" COMPONENT desktop)
  set(CPACK_COMPONENTS_ALL server desktop)
else()
  set(CPACK_COMPONENTS_ALL server)
endif()

# Everything the packages hold, so scripts/package.sh builds only that (not the tests):
# cpack and `cmake --install` then install what is built instead of building all first.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
add_custom_target(package-contents)
add_dependencies(package-contents harmonic-server harmonic-server-config harmonic-package-changelog)
if(TARGET harmonic-desktop)
  add_dependencies(package-contents harmonic-desktop)
endif()

# [CPack] ---------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${HARMONIC_PACKAGE_NAME})
set(CPACK_PACKAGE_VERSION ${HARMONIC_PACKAGE_VERSION})
set(CPACK_PACKAGE_CONTACT "${HARMONIC_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/packages")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SOURCE ${HARMONIC_SOURCE_PACKAGE})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${HARMONIC_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the libraries the binaries link
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME ${server_package})
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    "${packaging_out}/server/postinst" "${packaging_out}/server/prerm"
    "${packaging_out}/server/postrm" "${packaging_out}/server/conffiles")
set(CPACK_COMPONENT_SERVER_DESCRIPTION
    "collaborative particle-music server with its web client
harmonic-server serves the Harmonic Universe web client, its REST API and the
realtime protocol (Socket.IO over WebSocket or long-polling), and keeps
accounts and universes in an SQLite database in /var/lib/harmonic-universe.
It runs as the systemd service harmonic-universe-server, configured in
/etc/harmonic-universe/harmonic-server.conf.")

set(CPACK_DEBIAN_DESKTOP_PACKAGE_NAME ${desktop_package})
set(CPACK_DEBIAN_DESKTOP_PACKAGE_SECTION sound)
# Fonts are read at run time; without them the UI still works (ImGui's built-in font;
# CJK text drawn as "?"), so they are recommended, not required.
set(CPACK_DEBIAN_DESKTOP_PACKAGE_RECOMMENDS "fonts-dejavu-core, fonts-wqy-microhei")
set(CPACK_COMPONENT_DESKTOP_DESCRIPTION
    "desktop client of Harmonic Universe
harmonic-desktop signs in to a Harmonic Universe server and lets several
people shape a particle universe and its generated music together, in real
time, with OpenGL graphics and ALSA audio.")

include(CPack)
