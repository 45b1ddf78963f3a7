# RudderStack's Node.js SDK, @rudderstack/rudder-sdk-node, which posts
# Segment-compatible batches to /v1/batch with the write key as Basic auth,
# gzip-compressed by default. With its defaults the compressed body goes out
# as Content-Type application/x-www-form-urlencoded (axios's default for a
# POST of bytes), which libsegrecv refuses by default: that is checked
# first, on 6 events. Then 300 calls of all six types, flushAt 20, over plain
# HTTP, twice: with the SDK's defaults against segrecv-server
# --any-content-type, and with Content-Type set to application/json through
# the SDK's axiosConfig against the strict server; each time exactly those
# 300 events must be written, each field as sent, every request gzip.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
sdks_ready
version=$(sdk_version @rudderstack/rudder-sdk-node)
COUNT=300
WRITE_KEY=wk-rudderstack-node

# send TAG COUNT CONTENT-TYPE: the SDK's run; its summary in $TMP/TAG.json.
send() {
  timeout 120 node "$SDK_SRC/send_rudderstack.js" --modules "$NPM_DIR" --host "http://127.0.0.1:$PORT" \
    --path /v1/batch --key "$WRITE_KEY" --count "$2" --flush-at 20 --tag "$1" \
    --out "$TMP/sent-$1.json" --content-type "$3" >"$TMP/$1.json" 2>"$TMP/$1.err"
}

start_server --plain-http --path /v1/batch --api-key "$WRITE_KEY"

rc=0
send defaults 6 default || rc=$?
[ "$rc" -eq 1 ] || fail "SDK defaults: expected refusals (exit 1), got exit $rc: $(cat "$TMP/defaults.json")"
[[ $(json_field "$TMP/defaults.json" statuses) =~ ^\{\"400\":[0-9]+\}$ ]] ||
  fail "SDK defaults: statuses $(json_field "$TMP/defaults.json" statuses), expected only 400s"
grep -qF 'Unsupported Content-Type: expected application/json' "$TMP/defaults.err" ||
  fail "SDK defaults: not refused for its Content-Type: $(cat "$TMP/defaults.err")"
[ ! -s "$EVENTS" ] || fail "SDK defaults: refused events were written"
note "@rudderstack/rudder-sdk-node $version with its defaults: Content-Type" \
  "$(json_field "$TMP/defaults.json" contentTypes) on gzip bodies -> 400, 0 of 6 events written" \
  "(known; see docs/senders.md)"

# run_300 TAG CONTENT-TYPE SERVER-FLAGS...: 300 events through the SDK, all written.
run_300() {
  local tag=$1 ctype=$2
  shift 2
  : >"$EVENTS"
  start_server --plain-http --path /v1/batch --api-key "$WRITE_KEY" "$@"
  local rc=0
  send "$tag" "$COUNT" "$ctype" || rc=$?
  [ "$rc" -eq 0 ] || fail "$tag: the SDK reported failures (exit $rc): $(cat "$TMP/$tag.json" "$TMP/$tag.err")"
  [ "$(json_field "$TMP/$tag.json" gzip)" = true ] ||
    fail "$tag: not every request was gzip: $(cat "$TMP/$tag.json")"
  stop_server
  grep -q "stopped; $COUNT events written" "$SERVER_LOG" || fail "$tag: server summary: $(tail -n1 "$SERVER_LOG")"
  node "$SDK_SRC/verify.js" --sent "$TMP/sent-$tag.json" --events "$EVENTS" --sdk rudderstack \
    >"$TMP/verify-$tag.out" 2>&1 || fail "$tag: $(cat "$TMP/verify-$tag.out")"
  note "@rudderstack/rudder-sdk-node $version, gzip on, Content-Type" \
    "$(json_field "$TMP/$tag.json" contentTypes), server $*:" \
    "$COUNT events sent in $(json_field "$TMP/$tag.json" requests) requests," \
    "$(json_field "$TMP/$tag.json" gzipRequests) of them gzip, statuses $(json_field "$TMP/$tag.json" statuses)"
  note "$(cat "$TMP/verify-$tag.out")"
}

stop_server
run_300 sdk-defaults default --any-content-type
run_300 json-header json
