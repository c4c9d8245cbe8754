# Building lazylink modules from CMake (with the Emscripten toolchain, i.e.
# `emcmake cmake ...` or -DCMAKE_TOOLCHAIN_FILE=.../Emscripten.cmake).
#
#   include(/path/to/lazylink/runtime/cmake/LazylinkModule.cmake)
#   lazylink_add_module(libfoo SOURCES foo.c)
#   lazylink_add_module(app SOURCES main.cc NEEDED libfoo)
#
# Every module, the main one included, is a position-independent side module
# (`-sSIDE_MODULE=1`) with a dylink.0 section. NEEDED names other modules
# (targets made by this function, or paths to .wasm files); they are recorded
# in the module's dylink.0 NEEDED list by file name, and the loader fetches
# them before the module runs.
#
# Options:
#   SOURCES ...           C/C++ sources
#   NEEDED ...            modules this one links against (targets or .wasm paths)
#   OUTPUT_NAME name      file name without .wasm (default: the target name)
#   EXCEPTIONS            C++ exceptions (-fexceptions); the app then needs
#                         the libstd variant with exceptions (see docs/runtime.md)
#   BIGINT                build with -sWASM_BIGINT (i64 passes unsplit)
#   DEBUG_NAMES           keep the name section (-g2 / --profiling-funcs), for
#                         readable stack traces and `lazylink inspect`
#   COMPILE_OPTIONS ...   extra compile options
#   LINK_OPTIONS ...      extra link options
#   OUTPUT_DIRECTORY dir  where the .wasm goes (default: current binary dir)
include_guard(GLOBAL)

function(lazylink_add_module name)
  cmake_parse_arguments(ARG "EXCEPTIONS;BIGINT;DEBUG_NAMES"
    "OUTPUT_NAME;OUTPUT_DIRECTORY" "SOURCES;NEEDED;COMPILE_OPTIONS;LINK_OPTIONS" ${ARGN})
  if(NOT EMSCRIPTEN)
    message(FATAL_ERROR "lazylink_add_module(${name}): needs the Emscripten toolchain "
                        "(configure with emcmake cmake)")
  endif()
  add_executable(${name} ${ARG_SOURCES})
  set(out_name ${name})
  if(ARG_OUTPUT_NAME)
    set(out_name ${ARG_OUTPUT_NAME})
  endif()
  set_target_properties(${name} PROPERTIES OUTPUT_NAME ${out_name} SUFFIX ".wasm")
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  set(common -sSIDE_MODULE=1)
  if(ARG_EXCEPTIONS)
    list(APPEND common -fexceptions)
  endif()
  target_compile_options(${name} PRIVATE ${common} ${ARG_COMPILE_OPTIONS})
  target_link_options(${name} PRIVATE ${common} ${ARG_LINK_OPTIONS})
  if(ARG_BIGINT)
    # A link-time setting only.
    target_link_options(${name} PRIVATE -sWASM_BIGINT=1)
  endif()
  if(ARG_DEBUG_NAMES)
    target_link_options(${name} PRIVATE --profiling-funcs)
  endif()
  foreach(dep IN LISTS ARG_NEEDED)
    if(TARGET ${dep})
      add_dependencies(${name} ${dep})
      target_link_libraries(${name} PRIVATE $<TARGET_FILE:${dep}>)
      set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS $<TARGET_FILE:${dep}>)
    else()
      target_link_libraries(${name} PRIVATE ${dep})
    endif()
  endforeach()
endfunction()
