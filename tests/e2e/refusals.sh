# Each refusal the server makes, with its status, its JSON message and
# nothing written to the events file: 401, 403, 501, 400, 413, 405, 404.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# No track callback: track answers 501. 'blocked' is known but forbidden.
start_server --api-key segment --api-key other --forbidden-key blocked \
  --types identify,page,screen,group,alias
"$GEN_BIN" identify --seed 1 >"$TMP/identify.json"
"$GEN_BIN" track --seed 1 >"$TMP/track.json"

status=$(post "$TMP/identify.json" --user wrong:)
expect_status 401 "$status" "unknown key"
expect_json_body "unknown key"
expect_body_has "Invalid API key" "unknown key"

status=$(post "$TMP/identify.json")
expect_status 401 "$status" "no Authorization header"
expect_body_has "Missing Authorization header" "no Authorization header"

status=$(post "$TMP/identify.json" --user blocked:)
expect_status 403 "$status" "forbidden key"
expect_json_body "forbidden key"
expect_body_has "not allowed" "forbidden key"
grep -q blocked "$TMP/body" && fail "the API key is echoed in the 403 body"

status=$(post "$TMP/track.json" --user segment:)
expect_status 501 "$status" "unregistered type"
expect_json_body "unregistered type"
expect_body_has "Unsupported call type 'track'" "unregistered type"

printf '{"type": "identify", "user_id": ' >"$TMP/malformed.json"
status=$(post "$TMP/malformed.json" --user segment:)
expect_status 400 "$status" "malformed JSON"
expect_json_body "malformed JSON"

status=$(post "$TMP/identify.json" --user segment: -H 'Content-Type: text/plain')
expect_status 400 "$status" "wrong Content-Type"
expect_body_has "Content-Type" "wrong Content-Type"

# 40 KB: over the 32 KiB limit, refused from its Content-Length...
{ printf '{"type":"identify","user_id":"u1","traits":{"pad":"'
  head -c 40000 /dev/zero | tr '\0' x
  printf '"}}'; } >"$TMP/big.json"
status=$(post "$TMP/big.json" --user segment:)
expect_status 413 "$status" "40 KB body"
expect_json_body "40 KB body"
expect_body_has "exceeds 32768 bytes" "40 KB body"
# ... and, without one (chunked), once 32 KiB have streamed past.
status=$(post "$TMP/big.json" --user segment: -H 'Transfer-Encoding: chunked')
expect_status 413 "$status" "40 KB chunked body"
expect_json_body "40 KB chunked body"

for method in GET PUT DELETE; do
  status=$("${CURL[@]}" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -X "$method" \
    --user segment: "$URL")
  expect_status 405 "$status" "$method"
  grep -qi '^allow: POST' "$TMP/headers" || fail "$method: no 'Allow: POST' header"
  expect_json_body "$method"
done

status=$("${CURL[@]}" -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' \
  -H 'Content-Type: application/json' --user segment: --data-binary @"$TMP/identify.json" \
  "https://127.0.0.1:$PORT/elsewhere")
expect_status 404 "$status" "unknown path"
expect_json_body "unknown path"

[ ! -s "$EVENTS" ] || fail "a refused request wrote an event: $(head -c 300 "$EVENTS")"
# The same server still accepts a good request, with the second key too.
status=$(post "$TMP/identify.json" --user other:)
expect_status 200 "$status" "valid request after the refusals"
stop_server
[ "$(wc -l <"$EVENTS")" -eq 1 ] || fail "expected exactly the one accepted event"
note "ok: 401, 403, 501, 400, 413, 405, 404 answered as JSON; only the valid event written"
