# Runs `lazylink bindgen` for both worlds of plugins.wit and compares the
# output with the checked-in bindings (gen/); UPDATE_GOLDEN=1 rewrites them.
#   cmake -DCLI=... -DWIT=... -DGOLDEN=... -DOUT=... -P bindgen_golden.cmake
foreach(world plugin host-app)
  execute_process(COMMAND "${CLI}" bindgen "${WIT}" --lang c --world ${world} -o "${OUT}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lazylink bindgen --world ${world} failed: ${out}${err}")
  endif()
endforeach()
set(stale "")
foreach(file plugin.h plugin.c host_app.h host_app.c)
  file(READ "${OUT}/${file}" fresh)
  if(DEFINED ENV{UPDATE_GOLDEN})
    file(WRITE "${GOLDEN}/${file}" "${fresh}")
    continue()
  endif()
  file(READ "${GOLDEN}/${file}" golden)
  if(NOT fresh STREQUAL golden)
    list(APPEND stale ${file})
  endif()
endforeach()
if(stale)
  message(FATAL_ERROR "bindings differ from what lazylink bindgen writes now: ${stale} "
                      "(run with UPDATE_GOLDEN=1 to rewrite them)")
endif()
message(STATUS "bindings in ${GOLDEN} are what lazylink bindgen writes")
