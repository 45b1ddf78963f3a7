# Compressed bodies through libmicrohttpd, which passes Content-Encoding on
# to the library: a gzip batch of 300 events posted by curl is inflated
# (200, all written once). A gzip bomb, 50 MB of '0' inside a JSON string
# that compresses to about 50 KB, is stopped at a limit (413) after
# inflating a small part of it, on the batch path and on the single-event
# path, and nothing is written.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

for t in identify track page screen group alias; do
  "$GEN_BIN" "$t" --camel --seed 70 --count 50
done >"$TMP/events.lines"
{ printf '{"batch":'; batch_of "$TMP/events.lines"; printf '}'; } >"$TMP/batch.json"
gzip -9 -c "$TMP/batch.json" >"$TMP/batch.json.gz"
{ printf '{"batch":[{"type":"track","userId":"u","event":"Bomb","properties":{"z":"'
  head -c 50000000 /dev/zero | tr '\0' '0'
  printf '"}}]}'; } | gzip -9 >"$TMP/bomb.json.gz"
plain=$(wc -c <"$TMP/batch.json")
packed=$(wc -c <"$TMP/batch.json.gz")
bomb=$(wc -c <"$TMP/bomb.json.gz")
[ "$plain" -lt 512000 ] || fail "the batch is $plain bytes, over the limit"

start_server --plain-http --path /segment --path /v1/batch
base=${URL%/segment}
URL=$base/v1/batch
status=$(post "$TMP/batch.json.gz" --user segment: -H 'Content-Encoding: gzip')
expect_status 200 "$status" "gzip batch"
status=$(post "$TMP/bomb.json.gz" --user segment: -H 'Content-Encoding: gzip')
expect_status 413 "$status" "gzip bomb on the batch path"
batch_bomb=$(cat "$TMP/body")
URL=$base/segment
status=$(post "$TMP/bomb.json.gz" --user segment: -H 'Content-Encoding: gzip')
expect_status 413 "$status" "gzip bomb on the single-event path"
single_bomb=$(cat "$TMP/body")
stop_server

written=$(wc -l <"$EVENTS")
[ "$written" -eq 300 ] || fail "expected the batch's 300 events written, got $written"
[ "$(count_in_events '"event":"Bomb"')" -eq 0 ] || fail "the bomb's event was written"
while IFS= read -r line; do
  id=$(printf '%s' "$line" | grep -oE '"messageId":"[^"]*"' | head -n1 | cut -d'"' -f4)
  [ "$(count_in_events "\"message_id\":\"$id\"")" -eq 1 ] || fail "event $id not written once"
done <"$TMP/events.lines"
note "ok: gzip batch of 300 events ($plain bytes as $packed gzip) -> 200, 300 written"
note "ok: gzip bomb (50000000 bytes as $bomb gzip) -> 413 $batch_bomb on /v1/batch," \
  "413 $single_bomb on /segment; 0 written"
