# libb64 ships no pkg-config file: find its header and library directly.
find_path(LIBB64_INCLUDE_DIR b64/cdecode.h)
find_library(LIBB64_LIBRARY NAMES b64)
if(NOT LIBB64_INCLUDE_DIR OR NOT LIBB64_LIBRARY)
  message(FATAL_ERROR "libb64 not found: install the Debian package libb64-dev")
endif()
if(NOT TARGET LibB64::LibB64)
  add_library(LibB64::LibB64 UNKNOWN IMPORTED)
  set_target_properties(LibB64::LibB64 PROPERTIES
    IMPORTED_LOCATION "${LIBB64_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIBB64_INCLUDE_DIR}")
endif()
