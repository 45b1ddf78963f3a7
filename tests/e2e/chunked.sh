# Bodies sent with Transfer-Encoding: chunked (no Content-Length): fed to
# the library piece by piece as libmicrohttpd decodes them.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

start_server
"$GEN_BIN" identify --seed 11 >"$TMP/a.json"
"$GEN_BIN" track --seed 12 --pretty >"$TMP/b.json"

status=$(post "$TMP/a.json" --user segment: -H 'Transfer-Encoding: chunked')
expect_status 200 "$status" "chunked body"

# Streamed from a pipe in three parts with pauses: several chunks, several
# calls of the request handler, one event.
size=$(wc -c <"$TMP/b.json")
status=$({ head -c 100 "$TMP/b.json"; sleep 0.3
           head -c 700 "$TMP/b.json" | tail -c +101; sleep 0.3
           tail -c +701 "$TMP/b.json"; } |
  "${CURL[@]}" -o "$TMP/body" -w '%{http_code}' -X POST -T - --user segment: \
    -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' "$URL")
expect_status 200 "$status" "chunked body streamed in three parts ($size bytes)"

# A syntax error early in a long chunked body: 400 once the body ends.
{ printf '{"type": "track",, '; head -c 20000 /dev/zero | tr '\0' ' '; printf '}'; } >"$TMP/bad.json"
status=$(post "$TMP/bad.json" --user segment: -H 'Transfer-Encoding: chunked')
expect_status 400 "$status" "chunked malformed body"
expect_json_body "chunked malformed body"

# 3 MB chunked: over the limit with no length to refuse it by. The server
# drops up to 1 MiB hoping to answer 413, then hangs up on the client.
head -c 3000000 /dev/zero | tr '\0' ' ' >"$TMP/huge.json"
rc=0
status=$(post "$TMP/huge.json" --user segment: -H 'Transfer-Encoding: chunked' 2>/dev/null) || rc=$?
if [ "$rc" -eq 0 ]; then
  expect_status 413 "$status" "3 MB chunked body"
  note "3 MB chunked body: HTTP 413"
else
  note "3 MB chunked body: no answer (curl exit $rc), as expected"
fi
status=$(post "$TMP/a.json" --user segment:)
expect_status 200 "$status" "a request after the 3 MB one"

stop_server
# a.json was sent twice, b.json once.
id=$(message_id "$TMP/a.json")
[ "$(count_in_events "\"message_id\":\"$id\"")" -eq 2 ] || fail "event a: expected 2 copies"
id=$(message_id "$TMP/b.json")
[ "$(count_in_events "\"message_id\":\"$id\"")" -eq 1 ] || fail "streamed event b: expected 1 copy"
[ "$(wc -l <"$EVENTS")" -eq 3 ] || fail "expected 3 events"
note "ok"
