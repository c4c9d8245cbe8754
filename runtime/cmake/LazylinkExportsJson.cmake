# cmake -DNEEDED=needed.txt -DOUT=needed.json -P LazylinkExportsJson.cmake
# Turns the symbol list of runtime/libstd/needed.mjs into the JSON list emcc's
# -sEXPORTED_FUNCTIONS=@file expects (C names get a leading underscore).
file(STRINGS "${NEEDED}" names)
set(json "[")
set(sep "")
foreach(n IN LISTS names)
  if(n STREQUAL "")
    continue()
  endif()
  string(APPEND json "${sep}\"_${n}\"")
  set(sep ",")
endforeach()
string(APPEND json "]")
file(WRITE "${OUT}" "${json}\n")
