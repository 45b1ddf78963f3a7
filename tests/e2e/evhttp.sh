# The same core behind a second HTTP stack: segrecv-evhttp (libevent's
# evhttp, plain HTTP) accepts every call type segrecv-gen makes, in both
# casings, writes each event once, and writes exactly the line that
# segrecv-check gets from the library for the same body; it refuses a
# wrong key (401), malformed JSON (400), a 40 KB body (413), GET (405) and
# an unknown path (404) with JSON messages, serves several requests on one
# keep-alive connection and a chunked body, and stops cleanly on SIGTERM.
# Usage: bash evhttp.sh SEGRECV-EVHTTP GEN CHECK [DATA_DIR]
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

start_server
[[ $URL == http://127.0.0.1:*/segment ]] || fail "unexpected address line: $URL"

types=(identify track page screen group alias)
ids=()
for style in snake camel; do
  for i in "${!types[@]}"; do
    type=${types[$i]}
    body=$TMP/$type-$style.json
    flags=(--seed $((i + 1)))
    [ "$style" = camel ] && flags=(--seed $((i + 101)) --camel)
    "$GEN_BIN" "$type" "${flags[@]}" >"$body"
    id=$(message_id "$body")
    [ -n "$id" ] || fail "$type ($style): no message id in the generated event"
    ids+=("$id")
    status=$(post "$body" --user segment:)
    expect_status 200 "$status" "$type ($style)"
    [ ! -s "$TMP/body" ] || fail "$type ($style): 200 with a body: $(cat "$TMP/body")"
    # The line written is the library's canonical form, as segrecv-check
    # prints it for the same body (its third line).
    want=$("$CHECK_BIN" "$body" | sed -n 3p)
    got=$(tail -n 1 "$EVENTS")
    [ "$got" = "$want" ] || fail "$type ($style): written line differs from segrecv-check's"
    note "$type ($style): HTTP $status, message_id $id, line as segrecv-check's"
  done
done

status=$(post "$TMP/track-snake.json" --user wrong:)
expect_status 401 "$status" "wrong key"
expect_json_body "wrong key"
expect_body_has "Invalid API key" "wrong key"
grep -q wrong "$TMP/body" && fail "the API key is echoed in the 401 body"

status=$(post "$TMP/track-snake.json")
expect_status 401 "$status" "no Authorization header"
expect_body_has "Missing Authorization header" "no Authorization header"

printf '{"type": "identify", "user_id": ' >"$TMP/malformed.json"
status=$(post "$TMP/malformed.json" --user segment:)
expect_status 400 "$status" "malformed JSON"
expect_json_body "malformed JSON"
expect_body_has "Invalid JSON" "malformed JSON"

{ printf '{"type":"identify","user_id":"u1","traits":{"pad":"'
  head -c 40000 /dev/zero | tr '\0' x
  printf '"}}'; } >"$TMP/big.json"
status=$(post "$TMP/big.json" --user segment:)
expect_status 413 "$status" "40 KB body"
expect_json_body "40 KB body"
expect_body_has "exceeds 32768 bytes" "40 KB body"

status=$("${CURL[@]}" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' --user segment: "$URL")
expect_status 405 "$status" "GET"
grep -qi '^allow: POST' "$TMP/headers" || fail "GET: no 'Allow: POST' header"
expect_json_body "GET"

status=$("${CURL[@]}" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' --user segment: \
  -H 'Content-Type: application/json' --data-binary @"$TMP/identify-snake.json" \
  "http://127.0.0.1:$PORT/elsewhere")
expect_status 404 "$status" "unknown path"
expect_json_body "unknown path"

[ "$(wc -l <"$EVENTS")" -eq "${#ids[@]}" ] || fail "a refused request wrote an event"

# Three events on one keep-alive connection (curl reuses it for --next),
# then one with a chunked body.
for i in 1 2 3; do "$GEN_BIN" track --seed $((200 + i)) >"$TMP/keep-$i.json"; done
codes=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{num_connects}\n' --user segment: \
  -H 'Content-Type: application/json' --data-binary @"$TMP/keep-1.json" "$URL" \
  --next -o /dev/null -w '%{http_code} %{num_connects}\n' --user segment: \
  -H 'Content-Type: application/json' --data-binary @"$TMP/keep-2.json" "$URL" \
  --next -o /dev/null -w '%{http_code} %{num_connects}\n' --user segment: \
  -H 'Content-Type: application/json' --data-binary @"$TMP/keep-3.json" "$URL")
[ "$codes" = $'200 1\n200 0\n200 0' ] || fail "keep-alive: expected 200 on one connection, got: $codes"
"$GEN_BIN" page --seed 300 >"$TMP/chunked.json"
status=$(post "$TMP/chunked.json" --user segment: -H 'Transfer-Encoding: chunked')
expect_status 200 "$status" "chunked body"
for f in keep-1 keep-2 keep-3 chunked; do ids+=("$(message_id "$TMP/$f.json")"); done

stop_server
lines=$(wc -l <"$EVENTS")
[ "$lines" -eq "${#ids[@]}" ] || fail "expected ${#ids[@]} event lines, found $lines"
for id in "${ids[@]}"; do
  n=$(count_in_events "\"message_id\":\"$id\"")
  [ "$n" -eq 1 ] || fail "message_id $id written $n times"
done
grep -q "stopped; ${#ids[@]} events written" "$SERVER_LOG" || fail "server summary wrong"
note "ok: ${#ids[@]} events, each written once; 401, 400, 413, 405, 404 answered as JSON"
