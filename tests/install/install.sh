#!/usr/bin/env bash
# The install tests' fixture: `cmake --install` of this build into a fresh
# PREFIX, and PREFIX-static, the same without the shared library: there
# `-lsegrecv` from pkg-config can only mean libsegrecv.a (beside the .so,
# the linker would take the .so).
# Usage: install.sh CMAKE BUILD_DIR PREFIX LIBDIR
set -euo pipefail
cmake=$1 build=$2 prefix=$3 libdir=$4

rm -rf "$prefix" "$prefix-static"
"$cmake" --install "$build" --prefix "$prefix" >"$prefix.log"
cp -a "$prefix" "$prefix-static"
rm -f "$prefix-static/$libdir"/libsegrecv.so*
for f in include/segrecv.h "$libdir"/libsegrecv.a "$libdir"/pkgconfig/segrecv.pc \
  "$libdir"/cmake/segrecv/segrecvConfig.cmake "$libdir"/cmake/segrecv/segrecvConfigVersion.cmake; do
  [ -f "$prefix/$f" ] || { echo "not installed: $f" >&2; exit 1; }
done
ls "$prefix/$libdir"/libsegrecv.so.* >/dev/null || { echo "no shared library installed" >&2; exit 1; }
echo "installed into $prefix:"
(cd "$prefix" && find . -type f -o -type l | sort | sed 's|^\./|  |')
