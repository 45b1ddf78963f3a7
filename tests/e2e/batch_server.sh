# segrecv-server's batch paths and the flags for real senders: --path
# routing (a path whose last segment is 'batch' takes batches, others one
# event), batch bodies up to 512000 bytes and 2500 events through
# libmicrohttpd over HTTPS, --all-or-nothing, --accept-body-write-key,
# --signing-secret on a single-event path; --help naming every option;
# usage errors.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
OPTIONS_C=$(dirname "$0")/../../examples/server/options.c

# --help names every long option the parser knows.
"$SERVER_BIN" --help >"$TMP/help"
for opt in $(grep -oE '^ *\{"[a-z-]+",' "$OPTIONS_C" | tr -d ' {",'); do
  grep -q -- "--$opt" "$TMP/help" || fail "--help does not mention --$opt"
done
for args in "--dedupe 0" "--dedupe x" "--dedupe" "--all-or-nothing" \
            "--all-or-nothing --path /segment" "--signing-secret"; do
  rc=0
  # shellcheck disable=SC2086
  "$SERVER_BIN" $args >/dev/null 2>"$TMP/err" || rc=$?
  [ "$rc" -eq 2 ] || fail "segrecv-server $args: exit $rc, expected 2 ($(cat "$TMP/err"))"
done
rc=0
"$SERVER_BIN" --signing-secret '' >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "an empty --signing-secret: exit $rc"
note "--help complete; usage errors exit 2"

# join FILE: the lines of FILE as one JSON array.
join() { paste -sd, "$1" | sed 's/^/[/; s/$/]/'; }
# The largest batch of generated events under 512000 bytes, and one more.
for t in identify track page screen group alias; do
  "$GEN_BIN" "$t" --camel --seed 90 --count 120
done >"$TMP/many.lines"
awk '{ n += length($0) + 1; if (n > 511990) exit; print }' "$TMP/many.lines" >"$TMP/fit.lines"
fit=$(wc -l <"$TMP/fit.lines")
join "$TMP/fit.lines" >"$TMP/fit.json"
head -n $((fit + 1)) "$TMP/many.lines" >"$TMP/over.lines"
join "$TMP/over.lines" >"$TMP/over.json"
fit_bytes=$(wc -c <"$TMP/fit.json")
over_bytes=$(wc -c <"$TMP/over.json")
if [ "$fit_bytes" -gt 512000 ] || [ "$over_bytes" -le 512000 ]; then
  fail "batch sizes $fit_bytes and $over_bytes do not straddle 512000"
fi
# 2500 small events, the most a batch may hold, and 2501.
seq 1 2501 | awk '{ printf "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"e\",\"messageId\":\"n-%d\"}\n", $1 }' \
  >"$TMP/small.lines"
head -n 2500 "$TMP/small.lines" >"$TMP/2500.lines"
join "$TMP/2500.lines" >"$TMP/2500.json"
join "$TMP/small.lines" >"$TMP/2501.json"

# Over HTTPS: the largest bodies through libmicrohttpd and GnuTLS.
start_server --path /segment --path /v1/batch
grep -q '/v1/batch takes batches' "$SERVER_LOG" || fail "no notice of the batch path"
base=${URL%/segment}
head -n3 "$TMP/small.lines" >"$TMP/three.lines"
join "$TMP/three.lines" >"$TMP/three.json"
URL=$base/segment
status=$(post "$TMP/three.json" --user segment:)
expect_status 400 "$status" "an array on the single-event path"
expect_body_has '"Request body must be a JSON object"' "an array on the single-event path"
status=$(post "$TMP/fit.json" --user segment:)
expect_status 413 "$status" "a $fit_bytes-byte body on the single-event path"
expect_body_has '"Request body exceeds 32768 bytes"' "a big body on the single-event path"
URL=$base/v1/batch
status=$(post "$TMP/three.json" --user segment:)
expect_status 200 "$status" "a 3-event array on the batch path"
# One keep-alive connection, batch and single-event paths in turn: each
# request is served by the receiver of its own path.
"$GEN_BIN" track --seed 92 >"$TMP/single.json"
args=()
for target in "v1/batch three.json" "segment single.json" "v1/batch three.json"; do
  read -r path file <<<"$target"
  args+=(--next -sS -k --max-time 20 -o /dev/null -w '%{http_code} ' --user segment:
         -H 'Content-Type: application/json' --data-binary @"$TMP/$file" "$base/$path")
done
statuses=$(curl -v "${args[@]:1}" 2>"$TMP/curl.log")
[ "$statuses" = "200 200 200 " ] || fail "keep-alive across paths: $statuses"
[ "$(grep -c 'Re-using existing connection' "$TMP/curl.log")" -eq 2 ] ||
  fail "curl did not reuse its connection"
status=$(post "$TMP/fit.json" --user segment:)
expect_status 200 "$status" "a $fit_bytes-byte batch of $fit events"
status=$(post "$TMP/over.json" --user segment:)
expect_status 413 "$status" "a $over_bytes-byte batch"
expect_body_has '"Request body exceeds 512000 bytes"' "a $over_bytes-byte batch"
status=$(post "$TMP/2500.json" --user segment:)
expect_status 200 "$status" "2500 events"
status=$(post "$TMP/2501.json" --user segment:)
expect_status 400 "$status" "2501 events"
expect_body_has '"The batch has more events than the limit allows"' "2501 events"
stop_server
written=$(wc -l <"$EVENTS")
[ "$written" -eq $((3 + 7 + fit + 2500)) ] ||
  fail "expected $((3 + 7 + fit + 2500)) events written, got $written"
while IFS= read -r line; do
  id=$(printf '%s' "$line" | grep -oE '"messageId":"[^"]*"' | head -n1 | cut -d'"' -f4)
  [ "$(count_in_events "\"message_id\":\"$id\"")" -eq 1 ] || fail "event $id not written once"
done <"$TMP/fit.lines"
[ "$(count_in_events '"message_id":"n-')" -eq 2509 ] || fail "the 3 + 3 + 3 + 2500 small events"
note "ok: routing: an array -> 400 on /segment, 200 on /v1/batch; one keep-alive" \
  "connection serves both paths in turn"
note "ok: $fit events in $fit_bytes bytes -> 200; $over_bytes bytes -> 413; 2500 events -> 200;" \
  "2501 -> 400; $written events written, each once"

# --all-or-nothing: one bad event refuses the batch.
EVENTS=$TMP/all.jsonl
printf '[%s,%s,%s]' "$(sed -n 1p "$TMP/small.lines")" '{"type":"track","userId":"u"}' \
  "$(sed -n 2p "$TMP/small.lines")" >"$TMP/one-bad.json"
start_server --plain-http --path /v1/batch --all-or-nothing
status=$(post "$TMP/one-bad.json" --user segment:)
expect_status 400 "$status" "--all-or-nothing with one bad event"
expect_body_has '"1 of 3 events were refused; none was dispatched"' "--all-or-nothing"
expect_body_has '"errors":[{"index":1,"status":400,' "--all-or-nothing errors list"
stop_server
[ ! -s "$EVENTS" ] || fail "--all-or-nothing wrote events"
note "ok: --all-or-nothing: a batch with 1 bad event of 3 -> 400, 0 written"

# --accept-body-write-key: the key in the body, as SDKs also send it.
EVENTS=$TMP/wk.jsonl
batch='{"type":"identify","userId":"u1","messageId":"wk-1"}'
printf '{"batch":[%s],"writeKey":"wk"}' "$batch" >"$TMP/wk.json"
printf '{"batch":[%s],"writeKey":"nope"}' "$batch" >"$TMP/wrong.json"
printf '{"batch":[%s]}' "$batch" >"$TMP/nokey.json"
start_server --plain-http --path /v1/batch --api-key wk
status=$(post "$TMP/wk.json")
expect_status 401 "$status" "writeKey in the body without --accept-body-write-key"
stop_server
start_server --plain-http --path /v1/batch --api-key wk --accept-body-write-key
status=$(post "$TMP/wrong.json")
expect_status 401 "$status" "a wrong writeKey"
expect_body_has '"Invalid API key"' "a wrong writeKey"
status=$(post "$TMP/nokey.json")
expect_status 401 "$status" "neither Authorization nor writeKey"
expect_body_has '"Missing Authorization header or writeKey"' "no key at all"
status=$(post "$TMP/wk.json")
expect_status 200 "$status" "writeKey in the body"
stop_server
[ "$(wc -l <"$EVENTS")" -eq 1 ] || fail "--accept-body-write-key: expected 1 event written"
note "ok: --accept-body-write-key: right key -> 200, wrong or none -> 401"

# --signing-secret on a single-event path.
if command -v openssl >/dev/null; then
  EVENTS=$TMP/signed.jsonl
  "$GEN_BIN" track --seed 91 >"$TMP/one.json"
  sig=$(openssl dgst -sha1 -hmac s3cret -r <"$TMP/one.json" | cut -d' ' -f1)
  start_server --plain-http --signing-secret s3cret
  status=$(post "$TMP/one.json" --user segment:)
  expect_status 401 "$status" "unsigned event"
  status=$(post "$TMP/one.json" --user segment: -H "X-Signature: $sig")
  expect_status 200 "$status" "signed event"
  stop_server
  [ "$(wc -l <"$EVENTS")" -eq 1 ] || fail "--signing-secret: expected 1 event written"
  note "ok: --signing-secret on /segment: unsigned -> 401, signed -> 200"
fi
