# One warning policy for every target this project compiles: -Wall -Wextra -Wshadow
# -Wconversion (docs/operations.md, "Sanitizers, fuzzing and warnings"). With
# -DHARMONIC_WERROR=ON every warning is an error.
#
# It is applied once, at the end of the top-level CMakeLists.txt, to every target that
# compiles code (harmonic_apply_warnings walks all directories), so a new target gets it
# without asking, and no CMakeLists.txt repeats the flags.
option(HARMONIC_WERROR "Treat compiler warnings as errors" OFF)

# Third-party sources compiled here (Dear ImGui and its backends): not ours to fix.
set(HARMONIC_WARNINGS_THIRD_PARTY harmonic_imgui harmonic_imgui_glfw)
# Immediate-mode UI code hands ImGui ints as float coordinates, sizes and colour bytes on
# nearly every line; -Wconversion there flags each call and would bury the warnings that
# matter, so these targets keep the rest of the policy without it.
set(HARMONIC_WARNINGS_WITHOUT_CONVERSION harmonic_ui harmonic-desktop harmonic-web)

function(harmonic_apply_warnings directory)
  get_property(targets DIRECTORY "${directory}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target IN LISTS targets)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "INTERFACE_LIBRARY" OR type STREQUAL "UTILITY" OR target IN_LIST HARMONIC_WARNINGS_THIRD_PARTY)
      continue()
    endif()
    set(flags -Wall -Wextra -Wshadow)
    if(NOT target IN_LIST HARMONIC_WARNINGS_WITHOUT_CONVERSION)
      list(APPEND flags -Wconversion)
      # clang's -Wconversion also includes -Wsign-conversion, gcc's does not: the policy
      # means gcc's meaning with both compilers (the web build and fuzzing use clang).
      if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        list(APPEND flags -Wno-sign-conversion)
      endif()
    endif()
    # GCC 12 at -O2/-O3 reports -Wrestrict inside libstdc++ for `"literal" + std::string`
    # (GCC bugs 105329 and 105651: false positives, fixed in GCC 13); it would fail -Werror builds.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      list(APPEND flags -Wno-restrict)
    endif()
    if(HARMONIC_WERROR)
      list(APPEND flags -Werror)
    endif()
    target_compile_options(${target} PRIVATE ${flags})
  endforeach()
  get_property(subdirectories DIRECTORY "${directory}" PROPERTY SUBDIRECTORIES)
  foreach(subdirectory IN LISTS subdirectories)
    harmonic_apply_warnings("${subdirectory}")
  endforeach()
endfunction()
