# install() rules and the Debian package (issue 14). Only the package build has them:
#
#   cmake --preset package && cmake --build --preset package
#   cd build/package && cpack -G DEB            # -> lagesbild_<version>_amd64.deb
#
# cpack packages what the build made; it builds nothing itself (see below), so build first.
# tests/package/package_test.sh does both and tests the result. Any other build leaves install
# and cpack alone: its binary's defaults point into the checkout, not under /usr/share/lagesbild.
if(NOT LAGESBILD_PACKAGE)
  return()
endif()
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR "LAGESBILD_PACKAGE needs CMAKE_INSTALL_PREFIX=/usr (the binary's defaults "
                      "are under /usr/share/lagesbild); use: cmake --preset package")
endif()

# `install` and `package` build nothing: the (locked) `cmake --build --preset package` has built
# the server, and cpack only installs it into its staging tree (loadgen is never built here).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
set(CMAKE_SKIP_PACKAGE_ALL_DEPENDENCY ON)

set(LAGESBILD_DEB_DIR "${PROJECT_SOURCE_DIR}/deploy/debian")

# The Debian changelog's newest entry must be this version: a release bumps both.
file(STRINGS "${LAGESBILD_DEB_DIR}/changelog" LAGESBILD_CHANGELOG_TOP LIMIT_COUNT 1)
if(NOT LAGESBILD_CHANGELOG_TOP MATCHES "^lagesbild \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "deploy/debian/changelog starts with '${LAGESBILD_CHANGELOG_TOP}', "
                      "not 'lagesbild (${PROJECT_VERSION}) ...' (project() in CMakeLists.txt)")
endif()

# Debian wants the changelog and the manual page compressed with gzip -9n (no name, no time
# stamp: the same bytes every build). Made at configure time; an edit re-runs configure.
set(LAGESBILD_DEB_GENERATED "${CMAKE_BINARY_DIR}/debian")
file(MAKE_DIRECTORY "${LAGESBILD_DEB_GENERATED}")
foreach(pair "changelog|changelog.gz" "lagesbild.1|lagesbild.1.gz")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 source)
  list(GET pair 1 target)
  execute_process(
    COMMAND gzip -9n -c "${LAGESBILD_DEB_DIR}/${source}"
    OUTPUT_FILE "${LAGESBILD_DEB_GENERATED}/${target}"
    RESULT_VARIABLE gzip_result)
  if(NOT gzip_result EQUAL 0)
    message(FATAL_ERROR "gzip -9n ${source} failed: ${gzip_result}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${LAGESBILD_DEB_DIR}/${source}")
endforeach()

# Debian's hardening flags (what dpkg-buildflags gives with hardening=+all) for every library
# and program of this directory: fortified libc calls, stack protection, a read-only GOT bound
# at start. (This file is included after the targets are defined, so they are set per target.)
get_property(LAGESBILD_TARGETS DIRECTORY "${PROJECT_SOURCE_DIR}" PROPERTY BUILDSYSTEM_TARGETS)
foreach(target ${LAGESBILD_TARGETS})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "STATIC_LIBRARY" OR type STREQUAL "EXECUTABLE")
    target_compile_options(${target} PRIVATE -fstack-protector-strong -fstack-clash-protection
                                             -fcf-protection -Wformat -Werror=format-security)
    target_compile_definitions(${target} PRIVATE _FORTIFY_SOURCE=2)
  endif()
  if(type STREQUAL "EXECUTABLE")
    target_link_options(${target} PRIVATE -Wl,-z,relro -Wl,-z,now)
  endif()
endforeach()

set(LAGESBILD_FILE_MODE OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
set(LAGESBILD_DIR_MODE OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                       WORLD_READ WORLD_EXECUTE)

# The server only: loadgen and the tests are not installed.
install(TARGETS lagesbild RUNTIME DESTINATION bin
        PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                    WORLD_READ WORLD_EXECUTE)
# Stripped as dh_strip does (CPACK_STRIP_FILES below strips the symbols; this also drops the
# compiler's .comment and .note sections, which lintian reports).
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment --remove-section=.note
                            \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/lagesbild\"
                    RESULT_VARIABLE strip_result)
    if(NOT strip_result EQUAL 0)
      message(FATAL_ERROR \"strip of bin/lagesbild failed: \${strip_result}\")
    endif()
  endif()")

# What the server reads at run time: the pages, the scenarios, the healthcare regions. Only
# the file types it serves or loads; nothing else in those directories is installed.
install(DIRECTORY web/ DESTINATION share/lagesbild/web
        FILE_PERMISSIONS ${LAGESBILD_FILE_MODE} DIRECTORY_PERMISSIONS ${LAGESBILD_DIR_MODE}
        FILES_MATCHING PATTERN "*.html" PATTERN "*.js" PATTERN "*.mjs" PATTERN "*.css"
                       PATTERN "*.svg" PATTERN "*.png" PATTERN "*.ico" PATTERN "*.woff2"
                       PATTERN "*.json")
install(DIRECTORY scenarios/ DESTINATION share/lagesbild/scenarios
        FILE_PERMISSIONS ${LAGESBILD_FILE_MODE} DIRECTORY_PERMISSIONS ${LAGESBILD_DIR_MODE}
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY config/ DESTINATION share/lagesbild/config
        FILE_PERMISSIONS ${LAGESBILD_FILE_MODE} DIRECTORY_PERMISSIONS ${LAGESBILD_DIR_MODE}
        FILES_MATCHING PATTERN "*.json")
# The nginx site that terminates TLS in front of the loopback server (an example to copy to
# /etc/nginx/conf.d/, not active as shipped).
if(EXISTS "${PROJECT_SOURCE_DIR}/deploy/nginx/lagesbild.conf")
  install(FILES deploy/nginx/lagesbild.conf DESTINATION share/lagesbild/nginx
          PERMISSIONS ${LAGESBILD_FILE_MODE})
endif()

# The service. /lib/systemd/system is Debian 12's place for packaged units (lintian wants it
# there, not under /usr/lib, until the /usr merge of Debian 13).
install(FILES deploy/systemd/lagesbild.service DESTINATION /lib/systemd/system
        PERMISSIONS ${LAGESBILD_FILE_MODE})
# Configuration, both conffiles (deploy/debian/conffiles): the service's options, and the
# healthcare region it serves (a copy of Mellansverige; replace it with your own). postinst
# gives /etc/lagesbild to root:lagesbild, mode 2770, so the service user can keep users.json.
install(FILES deploy/default/lagesbild DESTINATION /etc/default PERMISSIONS ${LAGESBILD_FILE_MODE})
install(FILES config/mellansverige.json DESTINATION /etc/lagesbild RENAME region.json
        PERMISSIONS ${LAGESBILD_FILE_MODE})

# lintian: the pages are the board's, not documentation; systemd is the only init supported.
install(FILES "${LAGESBILD_DEB_DIR}/lintian-overrides" DESTINATION share/lintian/overrides
        RENAME lagesbild PERMISSIONS ${LAGESBILD_FILE_MODE})

# Documentation with the names Debian wants: the machine-readable copyright, the changelog of
# a native package as changelog.gz, the manual page.
install(FILES "${LAGESBILD_DEB_DIR}/copyright" DESTINATION share/doc/lagesbild
        PERMISSIONS ${LAGESBILD_FILE_MODE})
install(FILES "${LAGESBILD_DEB_GENERATED}/changelog.gz" DESTINATION share/doc/lagesbild
        PERMISSIONS ${LAGESBILD_FILE_MODE})
install(FILES "${LAGESBILD_DEB_GENERATED}/lagesbild.1.gz" DESTINATION share/man/man1
        PERMISSIONS ${LAGESBILD_FILE_MODE})

# The package.
set(LAGESBILD_PACKAGE_MAINTAINER
    "Lägesbild maintainers <maintainers@users.noreply.b-seed-4c8d12c2.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "lagesbild")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "Lägesbild")
set(CPACK_PACKAGE_CONTACT "${LAGESBILD_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "shared live picture of hospital capacity in a mass-casualty incident")
set(CPACK_DEBIAN_PACKAGE_NAME "lagesbild")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)           # lagesbild_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${LAGESBILD_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Debian's description: CPack puts the summary line above this long text and indents it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"Lägesbild keeps a healthcare region's acute hospitals' beds, reception
capacity and readiness levels during a mass-casualty incident
(masskadehändelse). One small server writes every report durably to an
SQLite event log, which is also the audit trail, and pushes each change over
WebSocket to a browser board that every participant sees, to the duty
officers' reporting page and to the trainer's exercise page.
.
The package holds the server, its pages, the shipped exercise scenarios and
the healthcare-region configurations, and a sandboxed systemd unit that runs
it as the system user lagesbild. Users sign in with tokens; built-in TLS or
the shipped nginx configuration serve it beyond the local host.")
# Library dependencies from the binary (libsodium, libsqlite3, libstdc++, libc, …), computed
# by dpkg-shlibdeps; the maintainer scripts need adduser.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx")
set(CPACK_STRIP_FILES ON)                         # lintian: no unstripped binaries
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${LAGESBILD_DEB_DIR}/conffiles"
    "${LAGESBILD_DEB_DIR}/postinst"
    "${LAGESBILD_DEB_DIR}/prerm"
    "${LAGESBILD_DEB_DIR}/postrm")
# Owned by root in the archive whoever builds it; directories 0755, files 0644 unless said.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS ${LAGESBILD_DIR_MODE})
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
