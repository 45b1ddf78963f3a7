# segrecv-check: its output format, exit statuses and options; --raw
# requests; and the streaming API (--chunk N) agreeing with one-call
# segrecv_handle on every real payload in tests/data/segment.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
[ -d "$DATA_DIR" ] || fail "no payload directory given"

b64() { printf '%s' "$1" | base64 -w0; }
# run_check EXPECTED-EXIT [ARG...]: run segrecv-check, output in $TMP/out.
run_check() {
  local want=$1 rc=0
  shift
  "$CHECK_BIN" "$@" >"$TMP/out" 2>"$TMP/err" || rc=$?
  [ "$rc" -eq "$want" ] ||
    fail "segrecv-check $*: exit $rc, expected $want: $(head -c 300 "$TMP/out" "$TMP/err")"
}
line() { sed -n "${1}p" "$TMP/out"; }

"$GEN_BIN" identify --seed 8 >"$TMP/identify.json"
"$GEN_BIN" track --seed 8 >"$TMP/track.json"

# Output: status, empty body line, then the event.
run_check 0 "$TMP/identify.json"
if [ "$(line 1)" != "HTTP 200" ] || [ -n "$(line 2)" ] || [ "$(wc -l <"$TMP/out")" -ne 3 ]; then
  fail "200 output format: $(cat "$TMP/out")"
fi
run_check 0 - <"$TMP/identify.json"
run_check 0 <"$TMP/identify.json"
# Refusals exit 1 with the message on line 2 and no event.
printf '{"type":' >"$TMP/bad.json"
run_check 1 "$TMP/bad.json"
if [ "$(line 1)" != "HTTP 400" ] || [[ $(line 2) != '{"message":"'* ]] ||
   [ "$(wc -l <"$TMP/out")" -ne 2 ]; then
  fail "400 output format: $(cat "$TMP/out")"
fi
run_check 1 --types identify "$TMP/track.json"
[ "$(line 1)" = "HTTP 501" ] || fail "--types: $(line 1)"
run_check 0 --api-key k1 --api-key k2 "$TMP/identify.json"
run_check 0 --api-key k1 --api-key k2 --header "Authorization: Basic $(b64 k2:)" "$TMP/identify.json"
run_check 1 --api-key k1 --header "Authorization: Basic $(b64 zz:)" "$TMP/identify.json"
[ "$(line 1)" = "HTTP 401" ] || fail "unknown key: $(line 1)"
run_check 1 --forbidden-key blocked --header "Authorization: Basic $(b64 blocked:)" \
  "$TMP/identify.json"
[ "$(line 1)" = "HTTP 403" ] || fail "--forbidden-key: $(line 1)"
run_check 1 --header 'Content-Type: text/plain' "$TMP/identify.json"
[ "$(line 1)" = "HTTP 400" ] || fail "Content-Type replaced: $(line 1)"
note "output format, keys, types and headers ok"

# Usage errors exit 2; --help exits 0.
run_check 0 --help
for args in "--chunk 0" "--chunk x" "--types nosuch" "--bogus" "a b" "/nonexistent/file"; do
  # shellcheck disable=SC2086
  run_check 2 $args
done

# --raw: a whole request, CRLF or LF line ends; defaults are not added.
len=$(wc -c <"$TMP/identify.json")
{ printf 'POST /segment HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/json\r\n'
  printf 'Authorization: Basic %s\r\nContent-Length: %s\r\n\r\n' "$(b64 segment:)" "$len"
  cat "$TMP/identify.json"; } >"$TMP/raw-crlf"
run_check 0 --raw "$TMP/raw-crlf"
run_check 0 --raw --chunk 1 "$TMP/raw-crlf"
tr -d '\r' <"$TMP/raw-crlf" >"$TMP/raw-lf"
run_check 0 --raw "$TMP/raw-lf"
grep -v '^Authorization' "$TMP/raw-crlf" >"$TMP/raw-noauth"
run_check 1 --raw "$TMP/raw-noauth"
[ "$(line 1)" = "HTTP 401" ] || fail "--raw without Authorization: $(line 1)"
run_check 0 --raw --header "Authorization: Basic $(b64 segment:)" "$TMP/raw-noauth"
sed '1s/^POST/GET/' "$TMP/raw-crlf" >"$TMP/raw-get"
run_check 1 --raw "$TMP/raw-get"
[ "$(line 1)" = "HTTP 405" ] || fail "--raw GET: $(line 1)"
run_check 2 --raw "$TMP/identify.json"
note "--raw ok"

# Streaming in chunks of 1, 7 and 4096 bytes answers exactly as one call.
files=0
for f in "$DATA_DIR"/*.json; do
  rc=0
  "$CHECK_BIN" "$f" >"$TMP/whole" 2>&1 || rc=$?
  [ "$rc" -le 1 ] || fail "$(basename "$f"): exit $rc"
  for n in 1 7 4096; do
    rc2=0
    "$CHECK_BIN" --chunk "$n" "$f" >"$TMP/chunked" 2>&1 || rc2=$?
    if [ "$rc2" -ne "$rc" ] || ! cmp -s "$TMP/whole" "$TMP/chunked"; then
      fail "$(basename "$f"): --chunk $n differs: $(diff "$TMP/whole" "$TMP/chunked" | head -c 400)"
    fi
  done
  files=$((files + 1))
done
[ "$files" -gt 50 ] || fail "only $files payload files found in $DATA_DIR"
note "ok: $files real payloads answer the same whole and in chunks of 1, 7, 4096"
