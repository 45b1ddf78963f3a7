# --maintenance: authenticated requests get 503 (which Segment retries) with
# a JSON message; the key is still checked first; nothing is written.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

start_server --maintenance
grep -q 'maintenance' "$SERVER_LOG" || fail "no maintenance notice at start-up"
"$GEN_BIN" track --seed 5 >"$TMP/track.json"

status=$(post "$TMP/track.json" --user segment:)
expect_status 503 "$status" "valid event in maintenance"
expect_json_body "valid event in maintenance"
expect_body_has "retry later" "valid event in maintenance"

status=$(post "$TMP/track.json" --user wrong:)
expect_status 401 "$status" "wrong key in maintenance"

stop_server
[ ! -s "$EVENTS" ] || fail "an event was written in maintenance mode"
note "ok: 503 in maintenance, 401 still first"
