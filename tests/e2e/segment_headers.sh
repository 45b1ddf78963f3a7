# Headers that shape what the library makes of a body, passed through the
# server untouched: X-Segment-Settings (base64 JSON of the destination's
# settings) becomes event->settings, and a gzip Content-Encoding is inflated.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

settings=$(printf '{"apiRegion":"eu","customSettingOne":"custom setting value"}' | base64 -w0)
"$GEN_BIN" identify --seed 30 >"$TMP/identify.json"
"$GEN_BIN" track --seed 31 >"$TMP/track.json"
gzip -c "$TMP/track.json" >"$TMP/track.json.gz"

start_server
status=$(post "$TMP/identify.json" --user segment: -H "X-Segment-Settings: $settings")
expect_status 200 "$status" "event with X-Segment-Settings"
status=$(post "$TMP/track.json.gz" --user segment: -H 'Content-Encoding: gzip')
expect_status 200 "$status" "gzip-encoded event"
status=$(post "$TMP/track.json.gz" --user segment:)
expect_status 400 "$status" "gzip bytes without Content-Encoding"
stop_server

[ "$(wc -l <"$EVENTS")" -eq 2 ] || fail "expected two events"
grep '"type":"identify"' "$EVENTS" |
  grep -q '"settings":{"apiRegion":"eu","customSettingOne":"custom setting value"}' ||
  fail "settings missing or wrong: $(grep -o '"settings":.*' "$EVENTS" | head -c 200)"
[ "$(count_in_events "\"message_id\":\"$(message_id "$TMP/track.json")\"")" -eq 1 ] ||
  fail "the gzip-encoded event was not written"
note "ok: settings decoded into the event; gzip body inflated"
