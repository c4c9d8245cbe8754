# Build helpers shared by every directory of the project.
#
#   lazylink_library(NAME SOURCES a.cc b.cc [DEPS other_lib...])
#       A static library of the platform-neutral core. Natively, a second
#       variant NAME_san is built with ASan + UBSan (and libFuzzer coverage
#       under clang) for the unit tests and the fuzzers.
#   lazylink_unit_test(NAME SOURCES a_test.cc [DEPS lib...])
#       Natively: a googletest binary against the _san variants, its tests
#       registered with ctest one by one. Under Emscripten: the sources join
#       one combined binary, lazylink_unit_tests.js, run by Node.
#   lazylink_fuzzer(NAME SOURCES f.cc DEPS lib... [SEEDS dir...] [SECONDS n])
#       A libFuzzer target (native clang only) and a ctest entry running it for
#       a bounded time over its seeds.
include_guard(GLOBAL)

set(LAZYLINK_ROOT "${CMAKE_CURRENT_LIST_DIR}/..")
get_filename_component(LAZYLINK_ROOT "${LAZYLINK_ROOT}" ABSOLUTE)

if(EMSCRIPTEN)
  set(LAZYLINK_WASM_BINARY_DIR "${CMAKE_BINARY_DIR}")
else()
  set(LAZYLINK_WASM_BINARY_DIR "${CMAKE_BINARY_DIR}/wasm")
endif()
# Where the built test modules (emcc -sSIDE_MODULE=1) land.
set(LAZYLINK_MODULES_DIR "${LAZYLINK_WASM_BINARY_DIR}/tests/modules")

find_program(LAZYLINK_NODE node REQUIRED)

set(LAZYLINK_IS_CLANG OFF)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND NOT EMSCRIPTEN)
  set(LAZYLINK_IS_CLANG ON)
endif()

set(LAZYLINK_SAN_FLAGS "")
if(NOT EMSCRIPTEN AND LAZYLINK_SANITIZE)
  set(LAZYLINK_SAN_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
                         -fno-omit-frame-pointer)
  if(LAZYLINK_IS_CLANG)
    list(APPEND LAZYLINK_SAN_FLAGS -fsanitize=fuzzer-no-link)
  endif()
endif()

# googletest from source, built with the same compiler (native or em++).
if(NOT TARGET gtest)
  set(gtest_disable_pthreads ${EMSCRIPTEN} CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  set(BUILD_GMOCK ON CACHE BOOL "" FORCE)
  add_subdirectory("${LAZYLINK_GTEST_SOURCE_DIR}" "${CMAKE_BINARY_DIR}/_deps/googletest"
                   EXCLUDE_FROM_ALL)
endif()
include(GoogleTest)

function(lazylink_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  if(LAZYLINK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# The core is written without exceptions (see docs/architecture.md).
function(_lazylink_core_flags target)
  lazylink_warnings(${target})
  target_compile_options(${target} PRIVATE -fno-exceptions)
  target_include_directories(${target} PUBLIC "${LAZYLINK_ROOT}")
endfunction()

function(lazylink_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PUBLIC_INCLUDES" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  _lazylink_core_flags(${name})
  if(EMSCRIPTEN)
    # The core is fetched before anything else starts: size first. (-Os
    # after the Release -O3 wins; the start-up benchmark compares.)
    target_compile_options(${name} PRIVATE -Os)
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  if(ARG_PUBLIC_INCLUDES)
    target_include_directories(${name} PUBLIC ${ARG_PUBLIC_INCLUDES})
  endif()
  if(LAZYLINK_SAN_FLAGS)
    add_library(${name}_san STATIC ${ARG_SOURCES})
    _lazylink_core_flags(${name}_san)
    target_compile_options(${name}_san PUBLIC ${LAZYLINK_SAN_FLAGS})
    target_link_options(${name}_san INTERFACE -fsanitize=address,undefined)
    set(san_deps "")
    foreach(dep IN LISTS ARG_DEPS)
      if(TARGET ${dep}_san)
        list(APPEND san_deps ${dep}_san)
      else()
        list(APPEND san_deps ${dep})
      endif()
    endforeach()
    target_link_libraries(${name}_san PUBLIC ${san_deps})
    if(ARG_PUBLIC_INCLUDES)
      target_include_directories(${name}_san PUBLIC ${ARG_PUBLIC_INCLUDES})
    endif()
  endif()
endfunction()

function(_lazylink_test_defs target)
  target_compile_definitions(${target} PRIVATE
    LAZYLINK_SOURCE_DIR="${LAZYLINK_ROOT}"
    LAZYLINK_MODULES_DIR="${LAZYLINK_MODULES_DIR}")
endfunction()

function(lazylink_unit_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  set(abs_sources "")
  foreach(src IN LISTS ARG_SOURCES)
    get_filename_component(abs "${src}" ABSOLUTE)
    list(APPEND abs_sources "${abs}")
  endforeach()
  if(EMSCRIPTEN)
    set_property(GLOBAL APPEND PROPERTY LAZYLINK_WASM_TEST_SOURCES ${abs_sources})
    set_property(GLOBAL APPEND PROPERTY LAZYLINK_WASM_TEST_DEPS ${ARG_DEPS})
    return()
  endif()
  add_executable(${name} ${abs_sources})
  lazylink_warnings(${name})
  _lazylink_test_defs(${name})
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    if(TARGET ${dep}_san)
      list(APPEND deps ${dep}_san)
    else()
      list(APPEND deps ${dep})
    endif()
  endforeach()
  target_link_libraries(${name} PRIVATE ${deps} GTest::gmock GTest::gtest_main)
  if(LAZYLINK_SAN_FLAGS)
    target_compile_options(${name} PRIVATE -fsanitize=address,undefined -fno-sanitize-recover=all)
    target_link_options(${name} PRIVATE -fsanitize=address,undefined)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS "unit;native"
    ENVIRONMENT "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1;ASAN_OPTIONS=detect_leaks=1")
endfunction()

function(lazylink_fuzzer name)
  cmake_parse_arguments(ARG "" "SECONDS" "SOURCES;DEPS;SEEDS" ${ARGN})
  if(EMSCRIPTEN OR NOT LAZYLINK_IS_CLANG OR NOT LAZYLINK_SAN_FLAGS)
    return()
  endif()
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 60)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  lazylink_warnings(${name})
  set(deps "")
  foreach(dep IN LISTS ARG_DEPS)
    list(APPEND deps ${dep}_san)
  endforeach()
  target_link_libraries(${name} PRIVATE ${deps})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  set(corpus "${CMAKE_CURRENT_BINARY_DIR}/${name}_corpus")
  add_test(NAME fuzz.${name}
    COMMAND ${CMAKE_COMMAND} -E env UBSAN_OPTIONS=halt_on_error=1
      "${LAZYLINK_ROOT}/tests/fuzz/run_fuzzer.sh" $<TARGET_FILE:${name}> ${ARG_SECONDS}
      "${corpus}" ${ARG_SEEDS})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS "fuzz" TIMEOUT 600)
endfunction()

# Called once at the end of the root CMakeLists.
function(lazylink_finish_wasm_tests)
  if(EMSCRIPTEN)
    get_property(sources GLOBAL PROPERTY LAZYLINK_WASM_TEST_SOURCES)
    get_property(deps GLOBAL PROPERTY LAZYLINK_WASM_TEST_DEPS)
    if(NOT sources)
      return()
    endif()
    list(REMOVE_DUPLICATES deps)
    add_executable(lazylink_unit_tests ${sources})
    lazylink_warnings(lazylink_unit_tests)
    _lazylink_test_defs(lazylink_unit_tests)
    target_link_libraries(lazylink_unit_tests PRIVATE ${deps} GTest::gmock GTest::gtest_main)
    # NODERAWFS: the tests read modules and data from the real file system.
    target_link_options(lazylink_unit_tests PRIVATE
      -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1 -sENVIRONMENT=node)
    set_target_properties(lazylink_unit_tests PROPERTIES SUFFIX ".js")
    return()
  endif()
  if(NOT LAZYLINK_WASM)
    return()
  endif()
  include(ExternalProject)
  set(emscripten_toolchain "/usr/share/emscripten/cmake/Modules/Platform/Emscripten.cmake")
  set(env ${CMAKE_COMMAND} -E env NODE_PATH=/usr/share/nodejs)
  # Named *_build: `lazylink_wasm` is the reader library (loader/wasm).
  ExternalProject_Add(lazylink_wasm_build
    SOURCE_DIR "${LAZYLINK_ROOT}"
    BINARY_DIR "${LAZYLINK_WASM_BINARY_DIR}"
    CMAKE_GENERATOR Ninja
    CONFIGURE_COMMAND ${env} ${CMAKE_COMMAND} -G Ninja -S "${LAZYLINK_ROOT}" -B "${LAZYLINK_WASM_BINARY_DIR}"
      -DCMAKE_TOOLCHAIN_FILE=${emscripten_toolchain}
      -DCMAKE_BUILD_TYPE=Release
      -DLAZYLINK_WERROR=${LAZYLINK_WERROR}
    BUILD_COMMAND ${env} ${CMAKE_COMMAND} --build "${LAZYLINK_WASM_BINARY_DIR}"
    INSTALL_COMMAND ""
    BUILD_ALWAYS ON
    USES_TERMINAL_CONFIGURE ON
    USES_TERMINAL_BUILD ON)
  add_test(NAME wasm.unit_tests_node
    COMMAND ${LAZYLINK_NODE} --no-experimental-fetch
      "${LAZYLINK_WASM_BINARY_DIR}/lazylink_unit_tests.js" --gtest_brief=1)
  set_tests_properties(wasm.unit_tests_node PROPERTIES LABELS "unit;wasm;node" TIMEOUT 900)
endfunction()
