# shellcheck shell=bash disable=SC2034 # its variables are for the test scripts
# Shared helpers for the end-to-end tests; sourced by each test script.
# Usage of a test: bash TEST.sh SERVER GEN CHECK [DATA_DIR]
# Everything runs on 127.0.0.1 in a private temp dir, removed on exit; every
# wait is bounded so that a hung server fails the test instead of the run.
set -euo pipefail

SERVER_BIN=${1:?usage: $0 SERVER GEN CHECK [DATA_DIR]}
GEN_BIN=${2:?}
CHECK_BIN=${3:?}
DATA_DIR=${4:-}
TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/segrecv-e2e-$TEST_NAME.XXXXXX")
SERVER_PID=
PORT=
URL=
EVENTS=$TMP/events.jsonl
SERVER_LOG=$TMP/server.log
CURL=(curl -sS -k --max-time 20)

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT

fail() {
  echo "FAIL [$TEST_NAME]: $*" >&2
  if [ -s "$SERVER_LOG" ]; then
    echo "--- server log (last 30 lines)" >&2
    tail -n 30 "$SERVER_LOG" >&2
  fi
  exit 1
}

note() { echo "[$TEST_NAME] $*"; }

# start_server [OPTION...]: start segrecv-server on a free port with its own
# events file; sets SERVER_PID, PORT and URL (https unless --plain-http).
start_server() {
  : >"$SERVER_LOG"
  "$SERVER_BIN" --listen 127.0.0.1:0 --events "$EVENTS" "$@" 2>"$SERVER_LOG" &
  SERVER_PID=$!
  local line
  for _ in $(seq 1 300); do # up to 30 s: certificate generation under ASan
    line=$(grep -m1 '^listening on ' "$SERVER_LOG" || true)
    [ -n "$line" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited at start-up"
    sleep 0.1
  done
  [ -n "$line" ] || fail "server did not report its address"
  URL=${line#listening on }
  PORT=$(echo "$URL" | sed -n 's|^https*://127\.0\.0\.1:\([0-9]*\)/.*$|\1|p')
  [ -n "$PORT" ] && [ "$PORT" -gt 0 ] || fail "no port in '$line'"
}

# stop_server: SIGTERM, then the server must exit 0 within 20 s.
stop_server() {
  kill -TERM "$SERVER_PID"
  wait_server_exit
}

# wait_server_exit: the server (already signalled) must exit 0 within 20 s.
wait_server_exit() {
  local rc=0
  for _ in $(seq 1 200); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$SERVER_PID" 2>/dev/null && fail "server still running 20 s after SIGTERM"
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=
  [ "$rc" -eq 0 ] || fail "server exited with status $rc"
}

# post FILE [CURL-OPTION...]: POST FILE as Segment does (Basic auth with the
# key 'segment' unless the options say otherwise); prints the HTTP status,
# leaves the body in $TMP/body and the headers in $TMP/headers.
post() {
  local file=$1
  shift
  "${CURL[@]}" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' --data-binary @"$file" "$@" "$URL"
}

# expect_status WANT GOT WHAT
expect_status() {
  [ "$2" = "$1" ] || fail "$3: expected HTTP $1, got $2 (body: $(cat "$TMP/body" 2>/dev/null))"
}

# expect_body_has TEXT WHAT: the last response body contains TEXT.
expect_body_has() {
  grep -qF -- "$1" "$TMP/body" || fail "$2: body '$(cat "$TMP/body")' lacks '$1'"
}

# expect_json_body WHAT: the last response was {"message":...} as JSON.
expect_json_body() {
  grep -qi '^content-type: application/json' "$TMP/headers" ||
    fail "$1: no Content-Type: application/json"
  grep -q '^{"message":".*"}$' "$TMP/body" || fail "$1: body is not a JSON message"
}

# message_id FILE: the message id of one generated event (either spelling).
message_id() {
  grep -oE '"message(_id|Id)": *"[^"]*"' "$1" | head -n1 | sed 's/.*"\([^"]*\)"$/\1/'
}

# count_in_events TEXT: how many lines of the events file contain TEXT.
count_in_events() {
  grep -cF -- "$1" "$EVENTS" || true
}
