#!/usr/bin/env bash
# HTTP load on loopback: segrecv-server --plain-http against a bare
# libmicrohttpd server (same threading mode, reads the body, answers 200) and
# a Node.js http server (JSON.parse, answers 200), measured in one run with
# wrk. The same bare server parsing each body with yajl (no callbacks) is
# measured too: the ratio no yajl-based server can pass. Each server is
# pinned to core 0 and wrk to core 1; the libmicrohttpd servers run one epoll
# thread (THREADS=0: a thread per connection). The servers take turns for
# ROUNDS rounds (default 3) of SECONDS each, and each keeps its best round:
# on a shared virtual machine a slow spell then hits all of them alike.
# Usage: tests/bench/http-load.sh [BUILD_DIR] [SECONDS]   (default build-bench, 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
seconds=${2:-10}
threads=${THREADS:-1}
rounds=${ROUNDS:-3}
payload=$root/tests/bench/payloads/identify.json

"$root/.ci/install-deps" wrk
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target segrecv-server bare-mhd >/dev/null

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run NAME URL COMMAND...: start the server on core 0, load it from core 1.
run() {
  local name=$1 url=$2
  shift 2
  taskset -c 0 "$@" 2>"$work/$name.log" &
  pid=$!
  for _ in $(seq 100); do
    grep -q listening "$work/$name.log" 2>/dev/null && break
    sleep 0.05
  done
  # Warm up, then measure.
  PAYLOAD=$payload taskset -c 1 wrk -t1 -c32 -d1s -s "$root/tests/bench/post.lua" "$url" >/dev/null
  local out
  out=$(PAYLOAD=$payload taskset -c 1 wrk -t1 -c32 -d"${seconds}s" --latency \
        -s "$root/tests/bench/post.lua" "$url" | grep RESULT)
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  echo "$name ${out#RESULT }"
}

# best NAME LINE: keep, per server, the line with the most requests/s.
declare -A best_line
best() {
  local name=$1 line=$2 rps old
  rps=$(sed -n 's/.*rps=\([0-9]*\).*/\1/p' <<<"$line")
  old=$(sed -n 's/.*rps=\([0-9]*\).*/\1/p' <<<"${best_line[$name]:-rps=0}")
  if [ "$rps" -gt "$old" ]; then best_line[$name]=$line; fi
}

for _ in $(seq "$rounds"); do
  p=$(port); best segrecv-server "$(run segrecv-server "http://127.0.0.1:$p/segment" \
    "$build/examples/segrecv-server" --plain-http --listen "127.0.0.1:$p" --events /dev/null \
    --threads "$threads")"
  p=$(port); best bare-mhd "$(run bare-mhd "http://127.0.0.1:$p/" "$build/tests/bench/bare-mhd" \
    "$p" "$threads")"
  p=$(port); best bare-mhd+yajl "$(run bare-mhd+yajl "http://127.0.0.1:$p/" \
    "$build/tests/bench/bare-mhd" "$p" "$threads" yajl)"
  p=$(port); best node-http "$(run node-http "http://127.0.0.1:$p/" node \
    "$root/tests/bench/node-server.js" "$p")"
done
segrecv=${best_line[segrecv-server]} bare=${best_line[bare-mhd]}
floor=${best_line[bare-mhd+yajl]} node=${best_line[node-http]}

echo "best of $rounds rounds of ${seconds}s each:"
printf '%s\n%s\n%s\n%s\n' "$segrecv" "$bare" "$floor" "$node"
rps() { sed -n 's/.*rps=\([0-9]*\).*/\1/p' <<<"$1"; }
python3 - "$(rps "$segrecv")" "$(rps "$bare")" "$(rps "$floor")" "$(rps "$node")" <<'PY'
import sys
s, b, f, n = (float(x) for x in sys.argv[1:])
print(f"http floor: bare-mhd+yajl noop parse = {f/b:.2f} of bare-mhd "
      f"({1e6/f - 1e6/b:.2f} us more per request)")
print(f"http summary: segrecv_rps={s:.0f} bare_mhd_rps={b:.0f} node_rps={n:.0f} "
      f"ratio_bare={s/b:.2f} (target >= 0.85) ratio_node={s/n:.2f} (target >= 1.8)")
PY
