# Fails unless every dynamic symbol the shared library defines is public API:
# segrecv_ but not the internal segrecv__ prefix
# (cmake -DNM=nm -DLIB=libsegrecv.so -P check_exports.cmake).
execute_process(COMMAND ${NM} -D --defined-only ${LIB}
  OUTPUT_VARIABLE _out RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D --defined-only ${LIB} failed (${_rc})")
endif()
string(REPLACE "\n" ";" _lines "${_out}")
set(_count 0)
set(_bad "")
foreach(_line IN LISTS _lines)
  # "<address> <type> <name>"; versioned names may carry @VERSION.
  if(_line MATCHES "^[0-9a-fA-F]+ [A-Za-z] ([^ @]+)")
    math(EXPR _count "${_count} + 1")
    if(NOT CMAKE_MATCH_1 MATCHES "^segrecv_[^_]")
      list(APPEND _bad ${CMAKE_MATCH_1})
    endif()
  endif()
endforeach()
if(_count EQUAL 0)
  message(FATAL_ERROR "no defined dynamic symbols found in ${LIB}")
endif()
if(_bad)
  message(FATAL_ERROR "symbols exported that are not segrecv_* API: ${_bad}")
endif()
message(STATUS "${_count} exported symbols, all segrecv_*")
