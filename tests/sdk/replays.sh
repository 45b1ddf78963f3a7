# Replays, as Segment's retries (5xx, 429, for 4 hours) and its replay
# feature cause them. With --dedupe, the same batch sent twice is written
# once and the second copy counted as duplicates, also when an event comes
# back on the single-event path (one message_id store serves both paths).
# Without --dedupe the replay is written twice. And a batch whose events
# cannot be recorded (the events file is /dev/full) is answered 500, asking
# the sender to retry: nothing is written and no id is remembered, so the
# retry is dispatched again rather than answered as a duplicate.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

"$GEN_BIN" track --camel --seed 60 --count 10 >"$TMP/events.lines"
{ printf '{"batch":'; batch_of "$TMP/events.lines"; printf ',"sentAt":"2024-05-01T12:00:00Z"}'; } \
  >"$TMP/batch.json"
head -n1 "$TMP/events.lines" >"$TMP/first.json"
first_id=$(message_id "$TMP/first.json")

start_server --plain-http --path /segment --path /v1/batch --dedupe 1000
base=${URL%/segment}
URL=$base/v1/batch
for attempt in 1 2; do
  status=$(post "$TMP/batch.json" --user segment:)
  expect_status 200 "$status" "batch, attempt $attempt"
done
URL=$base/segment
status=$(post "$TMP/first.json" --user segment:)
expect_status 200 "$status" "the batch's first event again, alone"
stop_server
written=$(wc -l <"$EVENTS")
[ "$written" -eq 10 ] || fail "with --dedupe: expected 10 events written, got $written"
[ "$(count_in_events "\"message_id\":\"$first_id\"")" -eq 1 ] || fail "$first_id written twice"
grep -q "stopped; 10 events written to .*; 11 duplicates not written again$" "$SERVER_LOG" ||
  fail "shutdown line: $(tail -n1 "$SERVER_LOG")"
note "ok: --dedupe: a 10-event batch sent twice, then its first event alone: 10 written," \
  "11 duplicates counted ($(tail -n1 "$SERVER_LOG" | sed 's/^segrecv-server: //'))"

EVENTS=$TMP/events-no-dedupe.jsonl
start_server --plain-http --path /v1/batch
for attempt in 1 2; do
  status=$(post "$TMP/batch.json" --user segment:)
  expect_status 200 "$status" "batch without --dedupe, attempt $attempt"
done
stop_server
written=$(wc -l <"$EVENTS")
[ "$written" -eq 20 ] || fail "without --dedupe: expected 20 events written, got $written"
note "ok: without --dedupe the same batch twice writes $written events"

start_server --plain-http --path /v1/batch --dedupe 1000 --events /dev/full
for attempt in 1 2; do
  status=$(post "$TMP/batch.json" --user segment:)
  expect_status 500 "$status" "batch that cannot be recorded, attempt $attempt"
  expect_body_has '"10 of 10 events could not be processed; retry the batch"' "500 message"
done
stop_server
grep -q "stopped; 0 events written to /dev/full; 0 duplicates not written again$" "$SERVER_LOG" ||
  fail "shutdown line: $(tail -n1 "$SERVER_LOG")"
note "ok: events file full: the batch is answered 500 twice ($(cat "$TMP/body")), no id kept"
