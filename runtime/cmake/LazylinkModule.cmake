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
#   EM_JS                 the sources use EM_ASM / EM_JS (inline JavaScript,
#                         which lazylink's loader runs; docs/em-js.md). emcc
#                         refuses those in side modules, so the module is
#                         compiled with `emcc -sSIDE_MODULE=1 -c` and linked
#                         with Emscripten's wasm-ld -shared and wasm-opt
#                         directly. The target is then a custom target: its
#                         file is its LAZYLINK_WASM property (NEEDED and
#                         lazylink_add_libstd read it), and LINK_OPTIONS are
#                         wasm-ld options.
include_guard(GLOBAL)

# The .wasm file of a module target (made by lazylink_add_module).
function(lazylink_module_file target out_var)
  get_target_property(file ${target} LAZYLINK_WASM)
  if(file)
    set(${out_var} "${file}" PARENT_SCOPE)
  else()
    set(${out_var} "$<TARGET_FILE:${target}>" PARENT_SCOPE)
  endif()
endfunction()

# Emscripten's own wasm-ld and wasm-opt (em-config LLVM_ROOT / BINARYEN_ROOT).
function(_lazylink_find_em_tools)
  if(LAZYLINK_WASM_LD AND LAZYLINK_WASM_OPT)
    return()
  endif()
  find_program(LAZYLINK_EM_CONFIG NAMES em-config HINTS "${EMSCRIPTEN_ROOT_PATH}")
  set(llvm_root "")
  set(binaryen_root "")
  if(LAZYLINK_EM_CONFIG)
    execute_process(COMMAND "${LAZYLINK_EM_CONFIG}" LLVM_ROOT OUTPUT_VARIABLE llvm_root
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    execute_process(COMMAND "${LAZYLINK_EM_CONFIG}" BINARYEN_ROOT OUTPUT_VARIABLE binaryen_root
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
  find_program(LAZYLINK_WASM_LD NAMES wasm-ld HINTS "${llvm_root}" REQUIRED)
  find_program(LAZYLINK_WASM_OPT NAMES wasm-opt HINTS "${binaryen_root}/bin" "${binaryen_root}" REQUIRED)
endfunction()

# A module whose sources use EM_ASM / EM_JS (lazylink_add_module(... EM_JS)):
# the same wasm-ld command emcc -sSIDE_MODULE=1 runs, then wasm-opt with the
# JS-interface legalization emcc's wasm-emscripten-finalize applies (which
# would also strip the EM_ASM and EM_JS strings the loader needs).
function(_lazylink_add_em_js_module name out_name)
  cmake_parse_arguments(ARG "EXCEPTIONS;BIGINT;DEBUG_NAMES"
    "OUTPUT_DIRECTORY" "SOURCES;NEEDED;COMPILE_OPTIONS;LINK_OPTIONS" ${ARGN})
  _lazylink_find_em_tools()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}")
  if(ARG_OUTPUT_DIRECTORY)
    set(dir "${ARG_OUTPUT_DIRECTORY}")
  endif()
  set(out "${dir}/${out_name}.wasm")
  add_library(${name}_objects OBJECT ${ARG_SOURCES})
  set(common -sSIDE_MODULE=1)
  if(ARG_EXCEPTIONS)
    list(APPEND common -fexceptions)
  endif()
  target_compile_options(${name}_objects PRIVATE ${common} ${ARG_COMPILE_OPTIONS})
  target_include_directories(${name}_objects PRIVATE "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../include")
  set(needed "")
  set(deps "")
  foreach(dep IN LISTS ARG_NEEDED)
    if(TARGET ${dep})
      lazylink_module_file(${dep} file)
      list(APPEND needed "${file}")
      list(APPEND deps ${dep})
    else()
      list(APPEND needed "${dep}")
    endif()
  endforeach()
  set(ld_flags -shared --experimental-pic --import-undefined --import-memory --export-dynamic
      --no-gc-sections --export-if-defined=main --export-if-defined=__main_argc_argv
      --export-if-defined=__start_em_asm --export-if-defined=__stop_em_asm
      --export-if-defined=__wasm_call_ctors)
  set(opt_flags -O2 --detect-features)
  if(ARG_DEBUG_NAMES)
    list(APPEND opt_flags --debuginfo)
  else()
    list(APPEND ld_flags --strip-debug)
  endif()
  if(NOT ARG_BIGINT)
    # i64 in exports and imports split into i32 pairs, with orig$NAME
    # exports, as emcc does without -sWASM_BIGINT.
    list(APPEND opt_flags --legalize-js-interface --pass-arg=legalize-js-interface-export-originals)
  endif()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND "${LAZYLINK_WASM_LD}" ${ld_flags} ${ARG_LINK_OPTIONS} $<TARGET_OBJECTS:${name}_objects>
            ${needed} -o "${out}"
    COMMAND "${LAZYLINK_WASM_OPT}" "${out}" -o "${out}" ${opt_flags}
    DEPENDS ${name}_objects $<TARGET_OBJECTS:${name}_objects> ${deps} ${needed}
    COMMENT "Linking ${out_name}.wasm (EM_ASM/EM_JS side module, wasm-ld -shared)"
    COMMAND_EXPAND_LISTS VERBATIM)
  add_custom_target(${name} ALL DEPENDS "${out}")
  set_target_properties(${name} PROPERTIES LAZYLINK_WASM "${out}")
endfunction()

function(lazylink_add_module name)
  cmake_parse_arguments(ARG "EXCEPTIONS;BIGINT;DEBUG_NAMES;EM_JS"
    "OUTPUT_NAME;OUTPUT_DIRECTORY" "SOURCES;NEEDED;COMPILE_OPTIONS;LINK_OPTIONS" ${ARGN})
  if(NOT EMSCRIPTEN)
    message(FATAL_ERROR "lazylink_add_module(${name}): needs the Emscripten toolchain "
                        "(configure with emcmake cmake)")
  endif()
  set(out_name ${name})
  if(ARG_OUTPUT_NAME)
    set(out_name ${ARG_OUTPUT_NAME})
  endif()
  if(ARG_EM_JS)
    set(pass "")
    foreach(flag EXCEPTIONS BIGINT DEBUG_NAMES)
      if(ARG_${flag})
        list(APPEND pass ${flag})
      endif()
    endforeach()
    if(ARG_OUTPUT_DIRECTORY)
      list(APPEND pass OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
    endif()
    _lazylink_add_em_js_module(${name} ${out_name} ${pass} SOURCES ${ARG_SOURCES} NEEDED ${ARG_NEEDED}
      COMPILE_OPTIONS ${ARG_COMPILE_OPTIONS} LINK_OPTIONS ${ARG_LINK_OPTIONS})
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
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
  # lazylink.h (explicit loads, prefetch, symbol lookup).
  target_include_directories(${name} PRIVATE "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../include")
  if(ARG_BIGINT)
    # A link-time setting only.
    target_link_options(${name} PRIVATE -sWASM_BIGINT=1)
  endif()
  if(ARG_DEBUG_NAMES)
    target_link_options(${name} PRIVATE --profiling-funcs)
  endif()
  foreach(dep IN LISTS ARG_NEEDED)
    if(TARGET ${dep})
      lazylink_module_file(${dep} file)
      add_dependencies(${name} ${dep})
      target_link_libraries(${name} PRIVATE ${file})
      set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${file})
    else()
      target_link_libraries(${name} PRIVATE ${dep})
    endif()
  endforeach()
endfunction()

# An app-specific standard library: libstd.wasm holding only what the given
# modules (eager and lazy alike) and lazylink's host runtime need from libc,
# malloc, libc++, libc++abi and compiler-rt — tens of KB instead of the
# general libstd's 1.6 MB. The loader finds it like the general one (by the
# name libstd.wasm, next to the app's modules or in the manifest).
#
#   lazylink_add_libstd(app_libstd MODULES notebook libsqlite
#                       [EXCEPTIONS] [KEEP sym...] [OUTPUT_DIRECTORY dir])
#
# MODULES are targets made by lazylink_add_module (or .wasm paths). KEEP
# lists extra symbols to keep, e.g. what plugins loaded later with dlopen
# will need. EXCEPTIONS builds the variant with Emscripten's JS-based C++
# exceptions (for modules compiled with -fexceptions; named libstd-eh.wasm).
function(lazylink_add_libstd name)
  cmake_parse_arguments(ARG "EXCEPTIONS" "OUTPUT_DIRECTORY" "MODULES;KEEP" ${ARGN})
  if(NOT EMSCRIPTEN)
    message(FATAL_ERROR "lazylink_add_libstd(${name}): needs the Emscripten toolchain")
  endif()
  set(dir "${CMAKE_CURRENT_BINARY_DIR}")
  if(ARG_OUTPUT_DIRECTORY)
    set(dir "${ARG_OUTPUT_DIRECTORY}")
  endif()
  set(lazylink_root "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../..")
  get_filename_component(lazylink_root "${lazylink_root}" ABSOLUTE)
  set(pic "${EMSCRIPTEN_SYSROOT}/lib/wasm32-emscripten/pic")
  set(out_name libstd.wasm)
  set(cxx libc++-noexcept.a libc++abi-noexcept.a)
  set(keep ${ARG_KEEP})
  if(ARG_EXCEPTIONS)
    set(out_name libstd-eh.wasm)
    set(cxx libc++.a libc++abi.a)
    # The host's exception runtime calls these; __cxa_demangle names the
    # type of an uncaught exception.
    list(APPEND keep __cxa_can_catch __cxa_is_pointer_type __cxa_demangle)
  endif()
  set(archives "")
  foreach(a libc.a libdlmalloc.a ${cxx} libcompiler_rt.a libstubs.a libsockets.a)
    list(APPEND archives "${pic}/${a}")
  endforeach()
  set(files "")
  set(deps "")
  foreach(m IN LISTS ARG_MODULES)
    if(TARGET ${m})
      lazylink_module_file(${m} file)
      list(APPEND files "${file}")
      list(APPEND deps ${m})
    else()
      list(APPEND files "${m}")
    endif()
  endforeach()
  string(REPLACE ";" "," keep_csv "${keep}")
  set(needed "${CMAKE_CURRENT_BINARY_DIR}/${name}.needed.txt")
  find_program(LAZYLINK_NODE_FOR_LIBSTD node REQUIRED)
  # Bound locally like the general libstd when lazylink's own build is part
  # of the project (the lazylink_bind_local tool target exists).
  set(bind_local "")
  if(TARGET lazylink_bind_local)
    set(bind_local COMMAND ${LAZYLINK_NODE_FOR_LIBSTD} --no-experimental-fetch
        $<TARGET_FILE:lazylink_bind_local> "${dir}/${out_name}" -o "${dir}/${out_name}" -q
        --keep-file "${lazylink_root}/runtime/libstd/preemptible.txt" --immutable-got --slot-calls-kept --own-slots-all
        --got-in-memory)
    list(APPEND deps lazylink_bind_local)
  endif()
  add_custom_command(
    OUTPUT "${dir}/${out_name}"
    COMMAND ${LAZYLINK_NODE_FOR_LIBSTD} "${lazylink_root}/runtime/libstd/needed.mjs"
            --keep "${keep_csv}," ${files} > "${needed}"
    COMMAND ${CMAKE_COMMAND} -DNEEDED=${needed} -DOUT=${needed}.json
            -P "${lazylink_root}/runtime/cmake/LazylinkExportsJson.cmake"
    COMMAND ${CMAKE_C_COMPILER} -O2 -sSIDE_MODULE=2 -I${lazylink_root}/runtime/include
            "${lazylink_root}/runtime/libstd/lazylink_runtime.c"
            "${lazylink_root}/runtime/libstd/emscripten_library.c"
            "-sEXPORTED_FUNCTIONS=@${needed}.json" ${archives} -o "${dir}/${out_name}"
    ${bind_local}
    DEPENDS ${deps} ${files} "${lazylink_root}/runtime/libstd/needed.mjs"
            "${lazylink_root}/runtime/libstd/host_exports.txt"
            "${lazylink_root}/runtime/libstd/lazylink_runtime.c"
            "${lazylink_root}/runtime/libstd/emscripten_library.c"
    COMMENT "Linking ${out_name} for ${ARG_MODULES}"
    VERBATIM)
  add_custom_target(${name} ALL DEPENDS "${dir}/${out_name}")
endfunction()
