# One bad event among good ones, as an SDK batch can carry: the batch is
# answered 200 with {"message":"1 of 10 events were refused","errors":[...]}
# naming the bad event by index and message_id, and the 9 good ones are
# written, once each.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

"$GEN_BIN" identify --camel --seed 80 --count 9 >"$TMP/good.lines"
# A track without its event name, fifth in the batch.
{ head -n4 "$TMP/good.lines"
  printf '{"type":"track","userId":"u-bad","messageId":"bad-1","properties":{"a":1}}\n'
  tail -n5 "$TMP/good.lines"; } >"$TMP/events.lines"
{ printf '{"batch":'; batch_of "$TMP/events.lines"; printf '}'; } >"$TMP/batch.json"

start_server --plain-http --path /v1/batch
status=$(post "$TMP/batch.json" --user segment:)
expect_status 200 "$status" "batch with one bad event"
grep -qi '^content-type: application/json' "$TMP/headers" || fail "no JSON answer"
expect_body_has '"message":"1 of 10 events were refused"' "message"
expect_body_has '"errors":[{"index":4,"message_id":"bad-1","status":400,"message":"Missing required field '"'event'"' for track"}]' \
  "errors list"
answer=$(cat "$TMP/body")
stop_server

written=$(wc -l <"$EVENTS")
[ "$written" -eq 9 ] || fail "expected the 9 good events written, got $written"
[ "$(count_in_events '"message_id":"bad-1"')" -eq 0 ] || fail "the bad event was written"
while IFS= read -r line; do
  id=$(printf '%s' "$line" | grep -oE '"messageId":"[^"]*"' | head -n1 | cut -d'"' -f4)
  [ "$(count_in_events "\"message_id\":\"$id\"")" -eq 1 ] || fail "event $id not written once"
done <"$TMP/good.lines"
note "ok: 10-event batch with one bad event -> 200 $answer; 9 written"
