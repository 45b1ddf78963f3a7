# segrecv-check and batches: --batch (and a raw request to a /batch target)
# gives one canonical line per dispatched event; --semantic adds each
# event's semantic line after its canonical one; --signing-secret,
# --accept-body-write-key, and gzip input; --help naming every option.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
OPTIONS_C=$(dirname "$0")/../../examples/check/options.c

# run_check EXPECTED-EXIT [ARG...]: run segrecv-check, output in $TMP/out.
run_check() {
  local want=$1 rc=0
  shift
  "$CHECK_BIN" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  [ "$rc" -eq "$want" ] ||
    fail "segrecv-check $*: exit $rc, expected $want: $(head -c 300 "$TMP/out" "$TMP/err")"
}
line() { sed -n "${1}p" "$TMP/out"; }

"$CHECK_BIN" --help >"$TMP/help"
for opt in $(grep -oE '^ *\{"[a-z-]+",' "$OPTIONS_C" | tr -d ' {",'); do
  grep -q -- "--$opt" "$TMP/help" || fail "--help does not mention --$opt"
done
run_check 2 --signing-secret ''

cat >"$TMP/batch.json" <<'JSON'
{"batch":[
 {"type":"identify","userId":"u1","messageId":"m1","traits":{"email":"ann@example.com","firstName":"Ann","lastName":"Lee"}},
 {"type":"track","userId":"u1","messageId":"m2"},
 {"type":"track","userId":"u1","messageId":"m3","event":"Order Completed","properties":{"revenue":"$12.50"}}
],"context":{"ip":"192.0.2.1"},"writeKey":"wk"}
JSON

# Without --batch, as the single-event path: the envelope is no event.
run_check 1 "$TMP/batch.json"
[ "$(line 1)" = "HTTP 400" ] || fail "envelope without --batch: $(line 1)"
run_check 0 --batch "$TMP/batch.json"
[ "$(line 1)" = "HTTP 200" ] || fail "--batch: $(line 1)"
[ "$(line 2)" = '{"message":"1 of 3 events were refused","errors":[{"index":1,"message_id":"m2","status":400,"message":"Missing required field '"'event'"' for track"}]}' ] ||
  fail "--batch body: $(line 2)"
[ "$(wc -l <"$TMP/out")" -eq 4 ] || fail "--batch: expected 2 event lines: $(cat "$TMP/out")"
[[ $(line 3) == '{"type":"identify","message_id":"m1",'*'"context":{"ip":"192.0.2.1"}'* ]] ||
  fail "--batch line 3: $(line 3)"
[[ $(line 4) == '{"type":"track","message_id":"m3",'* ]] || fail "--batch line 4: $(line 4)"
cp "$TMP/out" "$TMP/plain.out"
note "--batch: 3 events, 1 refused, 2 canonical lines"

# --semantic: each canonical line followed by the event's semantic line.
run_check 0 --batch --semantic "$TMP/batch.json"
[ "$(wc -l <"$TMP/out")" -eq 6 ] || fail "--semantic: expected 4 event lines: $(cat "$TMP/out")"
[ "$(line 3)" = "$(sed -n 3p "$TMP/plain.out")" ] || fail "--semantic line 3 is not the canonical one"
[ "$(line 4)" = '{"email":"ann@example.com","name":"Ann Lee","first_name":"Ann","last_name":"Lee"}' ] ||
  fail "--semantic identify: $(line 4)"
[ "$(line 5)" = "$(sed -n 4p "$TMP/plain.out")" ] || fail "--semantic line 5 is not the canonical one"
[ "$(line 6)" = '{"revenue":12.5,"currency":"USD","quantity":1,"products":[]}' ] ||
  fail "--semantic track: $(line 6)"
# A semantic line longer than the 4096-byte first try: written whole.
products=$(for i in $(seq 1 120); do printf '{"sku":"sku-%04d-abcdefghijklmnopqrstuvwxyz"},' "$i"; done)
printf '{"type":"track","userId":"u","event":"Order Completed","properties":{"products":[%s]}}' \
  "${products%,}" >"$TMP/products.json"
run_check 0 --semantic "$TMP/products.json"
[ "$(line 4 | grep -o '"sku":' | wc -l)" -eq 120 ] || fail "--semantic long line: $(line 4 | head -c 200)"
[ "$(line 4 | wc -c)" -gt 4096 ] || fail "--semantic long line is short"
[[ $(line 4) == *'"sku":"sku-0120-abcdefghijklmnopqrstuvwxyz"}]}' ]] || fail "--semantic long line cut"
"$GEN_BIN" alias --seed 3 >"$TMP/alias.json"
run_check 0 --semantic "$TMP/alias.json"
[[ $(line 4) == '{"previous_id":"'*'"}' ]] || fail "--semantic alias: $(line 4)"
note "--semantic: canonical and semantic lines alternate"

# A raw request to a /batch target is a batch, as the server routes it.
len=$(wc -c <"$TMP/batch.json")
{ printf 'POST /v1/batch HTTP/1.1\r\nContent-Type: application/json\r\n'
  printf 'Authorization: Basic %s\r\nContent-Length: %s\r\n\r\n' "$(printf segment: | base64)" "$len"
  cat "$TMP/batch.json"; } >"$TMP/raw"
run_check 0 --raw "$TMP/raw"
cmp -s "$TMP/out" "$TMP/plain.out" || fail "--raw to /v1/batch differs from --batch"
sed '1s|/v1/batch|/segment|' "$TMP/raw" >"$TMP/raw-single"
run_check 1 --raw "$TMP/raw-single"

# gzip input, whole and streamed in chunks.
gzip -c "$TMP/batch.json" >"$TMP/batch.json.gz"
for chunk in "" "--chunk 1" "--chunk 100"; do
  # shellcheck disable=SC2086
  run_check 0 --batch --header 'Content-Encoding: gzip' $chunk "$TMP/batch.json.gz"
  cmp -s "$TMP/out" "$TMP/plain.out" || fail "gzip input ($chunk) differs: $(cat "$TMP/out")"
done
run_check 1 --batch "$TMP/batch.json.gz"
[ "$(line 1)" = "HTTP 400" ] || fail "gzip without Content-Encoding: $(line 1)"
note "gzip input ok, whole and in chunks of 1 and 100 bytes"

# --accept-body-write-key: no default Authorization, the body's key decides.
run_check 0 --batch --api-key wk --accept-body-write-key "$TMP/batch.json"
cmp -s "$TMP/out" "$TMP/plain.out" || fail "--accept-body-write-key: $(cat "$TMP/out")"
run_check 1 --batch --api-key other --accept-body-write-key "$TMP/batch.json"
[ "$(line 2)" = '{"message":"Invalid API key"}' ] || fail "wrong body key: $(line 2)"

# --signing-secret: the X-Signature header is the caller's to give.
if command -v openssl >/dev/null; then
  sig=$(openssl dgst -sha1 -hmac k3y -r <"$TMP/batch.json" | cut -d' ' -f1)
  run_check 0 --batch --signing-secret k3y --header "X-Signature: $sig" "$TMP/batch.json"
  run_check 1 --batch --signing-secret k3y "$TMP/batch.json"
  [ "$(line 2)" = '{"message":"Missing X-Signature header"}' ] || fail "unsigned: $(line 2)"
  run_check 1 --batch --signing-secret other --header "X-Signature: $sig" "$TMP/batch.json"
  [ "$(line 2)" = '{"message":"Invalid X-Signature"}' ] || fail "wrong secret: $(line 2)"
  gsig=$(openssl dgst -sha1 -hmac k3y -r <"$TMP/batch.json.gz" | cut -d' ' -f1)
  run_check 0 --batch --signing-secret k3y --header 'Content-Encoding: gzip' \
    --header "X-Signature: $gsig" "$TMP/batch.json.gz"
  note "--signing-secret ok, gzip signed over its compressed bytes"
fi
note "ok"
