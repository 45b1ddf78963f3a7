#!/usr/bin/env bash
# Builds the README example and version.c out of tree against an installed
# libsegrecv, as a user would, runs both, and checks which library the
# example linked (readelf: libsegrecv.so.N needed, or not at all).
# Usage: consumer.sh MODE PREFIX LIBDIR EXAMPLE_C WORK_DIR
#   MODE  pkg-config         cc x.c $(pkg-config --cflags --libs segrecv)
#         pkg-config-static  cc x.c $(pkg-config --static --cflags --libs segrecv),
#                            PREFIX holding libsegrecv.a only (see install.sh)
#         cmake              find_package(segrecv) and segrecv::segrecv
#         cmake-static       find_package(segrecv) and segrecv::segrecv_static
# Environment: CC, CMAKE; CFLAGS and LDFLAGS, the build's own (warnings, and
# the sanitizers when it has them: an instrumented library needs an
# instrumented program); VERSION and SOVERSION, the project's.
set -euo pipefail
mode=$1 prefix=$2 libdir=$3 example=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
read -r -a cflags <<<"${CFLAGS:-}"
read -r -a ldflags <<<"${LDFLAGS:-}"

rm -rf "$work"
mkdir -p "$work"
cd "$work"
fail() { echo "FAIL [$mode]: $*" >&2; exit 1; }

case $mode in
pkg-config | pkg-config-static)
  export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
  static=()
  [ "$mode" = pkg-config-static ] && static=(--static)
  got=$(pkg-config --modversion segrecv)
  [ "$got" = "$VERSION" ] || fail "pkg-config --modversion says $got, the project $VERSION"
  read -r -a flags <<<"$(pkg-config "${static[@]}" --cflags --libs segrecv)"
  echo "pkg-config ${static[*]} --cflags --libs segrecv: ${flags[*]}"
  rpath=("-Wl,-rpath,$prefix/$libdir") # a prefix outside the loader's path
  "$CC" "${cflags[@]}" -o example "$example" "${flags[@]}" "${rpath[@]}" "${ldflags[@]}"
  "$CC" "${cflags[@]}" -DSEGRECV_EXPECTED_VERSION="\"$got\"" -o version "$here/version.c" \
    "${flags[@]}" "${rpath[@]}" "${ldflags[@]}"
  ;;
cmake | cmake-static)
  target=segrecv
  [ "$mode" = cmake-static ] && target=segrecv_static
  "$CMAKE" -S "$here/consumer" -B build -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="${cflags[*]}" \
    -DCMAKE_EXE_LINKER_FLAGS="${ldflags[*]}" -DSEGRECV_TARGET="$target" \
    -DEXAMPLE="$example" >configure.log || { cat configure.log; fail "configure"; }
  grep "segrecv $VERSION from $prefix/" configure.log ||
    fail "find_package did not find segrecv $VERSION in $prefix: $(cat configure.log)"
  "$CMAKE" --build build >build.log || { cat build.log; fail "build"; }
  cp build/example build/version .
  ;;
*)
  fail "unknown mode"
  ;;
esac

./version
out=$(./example)
[ "$out" = $'u1 did Signed Up\nHTTP 200 ' ] || fail "the example printed: $out"
echo "example: $out" | head -n 1
needed=$(readelf -d example | sed -n 's/.*(NEEDED).*\[\(libsegrecv[^]]*\)\].*/\1/p')
case $mode in
*static)
  [ -z "$needed" ] || fail "linked the shared library ($needed), not libsegrecv.a"
  echo "linked libsegrecv.a (no libsegrecv.so needed)"
  ;;
*)
  [ "$needed" = "libsegrecv.so.$SOVERSION" ] || fail "needs '$needed', not libsegrecv.so.$SOVERSION"
  echo "linked $needed"
  ;;
esac
