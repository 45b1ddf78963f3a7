# A batch as Segment's Webhooks destination sends it with a shared secret:
# a top-level JSON array of events, with X-Signature, the hex HMAC-SHA1 of
# the raw body under the secret (computed here with openssl dgst). The
# server checks it over the bytes as received: a good signature -> 200 and
# every event written; a wrong one, a body changed after signing, or none
# -> 401 and nothing written. A gzip body is signed over its compressed
# bytes. libsegrecv still requires the API key, which the Webhooks
# destination sends when it is added as a header in its settings.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
command -v openssl >/dev/null || skip "no openssl command to sign with"
SECRET='webhook shared secret'

# sign FILE: the hex HMAC-SHA1 of FILE's bytes under SECRET.
sign() { openssl dgst -sha1 -hmac "$SECRET" -r <"$1" | cut -d' ' -f1; }
# events FILE SEED: one event of each type, as one array.
events() {
  local t
  for t in identify track page screen group alias; do
    "$GEN_BIN" "$t" --camel --seed "$2"
  done >"$1.lines"
  batch_of "$1.lines" >"$1"
}
webhook_post() { post "$@" --user segment: -H 'User-Agent: Segment.io/1.0'; }

events "$TMP/batch.json" 50
events "$TMP/other.json" 51
gzip -c "$TMP/other.json" >"$TMP/other.json.gz"
sed 's/"userId":"/"userId":"x/' "$TMP/batch.json" >"$TMP/tampered.json"
cmp -s "$TMP/batch.json" "$TMP/tampered.json" && fail "the tampered copy is not different"

start_server --path /webhooks/batch --signing-secret "$SECRET"
grep -q 'X-Signature required' "$SERVER_LOG" || fail "no notice of --signing-secret"
good=$(sign "$TMP/batch.json")
status=$(webhook_post "$TMP/tampered.json" -H "X-Signature: $good")
expect_status 401 "$status" "body changed after signing"
expect_body_has '"Invalid X-Signature"' "body changed after signing"
status=$(webhook_post "$TMP/batch.json" -H "X-Signature: $(sign "$TMP/other.json")")
expect_status 401 "$status" "signature of another body"
status=$(webhook_post "$TMP/batch.json")
expect_status 401 "$status" "no X-Signature"
expect_body_has '"Missing X-Signature header"' "no X-Signature"
[ ! -s "$EVENTS" ] || fail "events written from a refused request"
status=$(webhook_post "$TMP/batch.json" -H "X-Signature: $good")
expect_status 200 "$status" "good signature"
status=$(webhook_post "$TMP/other.json.gz" -H 'Content-Encoding: gzip' \
  -H "X-Signature: $(sign "$TMP/other.json.gz")")
expect_status 200 "$status" "gzip body signed over its compressed bytes"
stop_server

written=$(wc -l <"$EVENTS")
[ "$written" -eq 12 ] || fail "expected 12 events written, got $written"
for f in "$TMP/batch.json.lines" "$TMP/other.json.lines"; do
  while IFS= read -r line; do
    id=$(printf '%s' "$line" | grep -oE '"messageId":"[^"]*"' | head -n1 | cut -d'"' -f4)
    [ "$(count_in_events "\"message_id\":\"$id\"")" -eq 1 ] || fail "event $id not written once"
  done <"$f"
done
note "ok: signed arrays of 6 events: good signature -> 200, 6 written; gzip signed over its" \
  "bytes -> 200, 6 written; tampered, wrong or missing signature -> 401, 0 written" \
  "($written events written in all)"
