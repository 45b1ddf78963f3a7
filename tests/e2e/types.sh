# Every call type segrecv-gen makes, in snake_case and camelCase, is
# accepted over HTTPS (200, empty body) and written to the events file
# exactly once, as canonical JSON that itself passes segrecv-check.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

start_server
types=(identify track page screen group alias)
ids=()
for style in snake camel; do
  for i in "${!types[@]}"; do
    type=${types[$i]}
    flags=(--seed $((i + 1)))
    # A seed of its own: the same seed would repeat the message id.
    [ "$style" = camel ] && flags=(--seed $((i + 101)) --camel)
    "$GEN_BIN" "$type" "${flags[@]}" >"$TMP/$type-$style.json"
    id=$(message_id "$TMP/$type-$style.json")
    [ -n "$id" ] || fail "$type ($style): no message id in the generated event"
    ids+=("$id")
    status=$(post "$TMP/$type-$style.json" --user segment:)
    expect_status 200 "$status" "$type ($style)"
    [ ! -s "$TMP/body" ] || fail "$type ($style): 200 with a body: $(cat "$TMP/body")"
    note "$type ($style): HTTP $status, message_id $id"
  done
done
stop_server

lines=$(wc -l <"$EVENTS")
[ "$lines" -eq "${#ids[@]}" ] || fail "expected ${#ids[@]} event lines, found $lines"
for id in "${ids[@]}"; do
  n=$(count_in_events "\"message_id\":\"$id\"")
  [ "$n" -eq 1 ] || fail "message_id $id written $n times"
done
# Canonical lines are snake_case whatever the input casing...
grep -q '"userId"\|"messageId"\|"anonymousId"' "$EVENTS" && fail "camelCase spec keys in the events file"
# ... and each is a valid event again.
while IFS= read -r line; do
  printf '%s' "$line" >"$TMP/line.json"
  out=$("$CHECK_BIN" "$TMP/line.json") || fail "an events-file line fails segrecv-check: $out"
done <"$EVENTS"
grep -q "stopped; ${#ids[@]} events written" "$SERVER_LOG" || fail "server summary wrong"
note "ok: ${#ids[@]} events, each written once"
