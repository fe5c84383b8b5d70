# Project-wide compiler settings as INTERFACE targets, so every target opts in the same way.
add_library(stackshift_settings INTERFACE)
target_compile_features(stackshift_settings INTERFACE cxx_std_20)
target_compile_options(stackshift_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wcast-qual -Wformat=2 -Wundef
  -Wnon-virtual-dtor -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports false -Wrestrict positives inside std::string at -O3 (GCC bug 105651).
  target_compile_options(stackshift_settings INTERFACE -Wno-restrict)
endif()
if(STACKSHIFT_WERROR)
  target_compile_options(stackshift_settings INTERFACE -Werror)
endif()
if(STACKSHIFT_SANITIZE)
  # The code under test is compiled at -O1 (CMakeLists.txt), the tests themselves at -O0
  # (tests/CMakeLists.txt). GCC 12's flow warnings are known to misfire on sanitizer-instrumented optimised code (inside
  # std::regex and std::string); the sanitizers check at run time what those warnings guess at.
  target_compile_options(stackshift_settings INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
    $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized -Wno-array-bounds -Wno-stringop-overflow -Wno-stringop-overread>)
  target_link_options(stackshift_settings INTERFACE -fsanitize=address,undefined)
endif()
