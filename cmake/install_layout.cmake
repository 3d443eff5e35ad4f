# Where an installed Harmonic Universe puts its files (cmake --install, and the .deb
# packages of cmake/packaging.cmake). One place for every path the programs, the
# systemd unit and the maintainer scripts agree on.
include(GNUInstallDirs)

set(HARMONIC_PACKAGE_NAME harmonic-universe)
# The web client's staged site, found by harmonic-server relative to its own binary
# (server/app/web_root.cpp): /usr/share/harmonic-universe/site next to /usr/bin.
set(HARMONIC_SITE_INSTALL_DIR "${CMAKE_INSTALL_DATADIR}/${HARMONIC_PACKAGE_NAME}/site")
file(RELATIVE_PATH HARMONIC_SITE_FROM_BINDIR "${CMAKE_INSTALL_FULL_BINDIR}"
     "${CMAKE_INSTALL_FULL_DATADIR}/${HARMONIC_PACKAGE_NAME}/site")
# System paths, absolute whatever the prefix (Debian: /etc, /var/lib, /lib/systemd).
set(HARMONIC_CONFIG_DIR "/etc/${HARMONIC_PACKAGE_NAME}")
set(HARMONIC_CONFIG_FILE "${HARMONIC_CONFIG_DIR}/harmonic-server.conf")
set(HARMONIC_DATA_DIR "/var/lib/${HARMONIC_PACKAGE_NAME}")
set(HARMONIC_SYSTEMD_UNIT_DIR "/lib/systemd/system")
set(HARMONIC_SERVICE_NAME harmonic-universe-server)
# The system account the service runs as (created by the package's postinst).
set(HARMONIC_SERVICE_USER harmonic-universe)
