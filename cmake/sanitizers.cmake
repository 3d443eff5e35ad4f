# Sanitized and fuzzing builds of the native programs (tests/fuzz/README.md tells how to
# run them; scripts/test.sh runs both in CI).
#
#   -DHARMONIC_SANITIZE=address,undefined   every native target with ASan + UBSan
#   -DHARMONIC_FUZZ=ON (clang only)         also the libFuzzer targets in tests/fuzz
#
# Both stop at the first report (-fno-sanitize-recover=all): a sanitizer finding is a
# failure, never a log line to overlook. They are optimised a little (-O1, line tables
# only) because an -O0 sanitized server is too slow for the end-to-end tests.
set(HARMONIC_SANITIZE "" CACHE STRING "Sanitizers for the native build, e.g. address,undefined (empty: none)")
option(HARMONIC_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only; implies address,undefined)" OFF)

if(HARMONIC_WEB)
  return()
endif()

if(HARMONIC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "HARMONIC_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++-14 "
                        "-DCMAKE_C_COMPILER=clang-14")
  endif()
  # Every library gets the fuzzer's coverage instrumentation; only the fuzz executables
  # link libFuzzer's main (tests/fuzz/CMakeLists.txt adds -fsanitize=fuzzer to them).
  set(HARMONIC_SANITIZE "address,undefined")
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(HARMONIC_SANITIZE)
  add_compile_options(-fsanitize=${HARMONIC_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer -O1 -g1)
  add_link_options(-fsanitize=${HARMONIC_SANITIZE})
endif()
