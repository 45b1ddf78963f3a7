#!/usr/bin/env bash
# The main job, end to end: build libsegrecv and its examples, start the
# HTTPS receiver, send it one event of each Segment call type the way
# Segment's old recipe did
#     spec.segment.com/generate/identify | curl --user KEY: ... --data-binary @- URL
# and show the answers and the events the receiver wrote.
# Usage: examples/demo.sh   (from anywhere; builds into build-demo/)
# Environment: DEMO_CMAKE_ARGS, extra arguments for the cmake configure step.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-demo
types=(identify track page screen group alias)

step() { printf '\n== %s\n' "$*"; }
indent() { sed 's/^/   /'; }

work=$(mktemp -d "${TMPDIR:-/tmp}/segrecv-demo.XXXXXX")
server_pid=
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "1/6 Dependencies: .ci/install-deps"
"$root/.ci/install-deps"
echo "   build tools, yajl, libb64, libmicrohttpd, GnuTLS and curl are installed"

step "2/6 Build: cmake -S . -B build-demo && cmake --build build-demo -j2"
cd "$root"
mkdir -p "$build"
log=$build/demo-build.log
# shellcheck disable=SC2086
if ! { cmake -S . -B build-demo ${DEMO_CMAKE_ARGS:-} && cmake --build build-demo -j2; } >"$log" 2>&1; then
  tail -n 30 "$log" | indent
  echo "   build failed; full log: $log" >&2
  exit 1
fi
server=$build/examples/segrecv-server
gen=$build/examples/segrecv-gen
for program in "$server" "$gen" "$build/examples/segrecv-check"; do
  echo "   built ${program#"$root"/}"
done

step "3/6 In-process: the Direct Integration guide's request through segrecv_handle()"
"$build/examples/seed-demo" | indent

step "4/6 Start segrecv-server on a free loopback port, self-signed TLS"
events=$work/events.jsonl
"$server" --listen 127.0.0.1:0 --events "$events" 2>"$work/server.log" &
server_pid=$!
url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on //p' "$work/server.log")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
indent <"$work/server.log"
if [ -z "$url" ]; then
  echo "   the server did not start" >&2
  exit 1
fi

step "5/6 One event of each type, as Segment's old recipe sent them:"
echo "   segrecv-gen TYPE | curl --user segment: -k -H 'Content-Type: application/json' \\"
echo "                          --data-binary @- $url"
echo
# send TYPE KEY: one generated event through curl; prints the answer.
send() {
  local status
  status=$("$gen" "$1" | curl -sS --max-time 10 --user "$2": -k \
    -H 'Content-Type: application/json' --data-binary @- \
    -o "$work/body" -w '%{http_code}' "$url")
  printf '   %-9s key %-10s -> HTTP %s  %s\n' "$1" "'$2'" "$status" \
    "$([ -s "$work/body" ] && cat "$work/body" || echo '(empty body)')"
}
for type in "${types[@]}"; do
  send "$type" segment
done
echo
echo "   and one refused, to show an error body:"
send track wrong

step "6/6 Events the server wrote to its events file (one JSON line each)"
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '\n   [%d] %s\n' "$n" "$line"
done <"$events"
echo
echo "   stopping the server with SIGTERM:"
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
tail -n 2 "$work/server.log" | indent
if [ "$status" -ne 0 ] || [ "$n" -ne "${#types[@]}" ]; then
  echo "   unexpected: server exit status $status, $n events" >&2
  exit 1
fi
cp "$events" "$build/demo-events.jsonl"
echo
echo "Done: ${#types[@]} events accepted, each written once; the server stopped cleanly."
echo "The events are kept in build-demo/demo-events.jsonl."
