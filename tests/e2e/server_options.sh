# segrecv-server's options: usage errors, --path, --plain-http, the notice
# about the example key, and TLS: the printed fingerprint is the one
# served, and --tls-cert/--tls-key serve a given certificate (these two
# parts need the openssl command, and are skipped without it).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

for args in "--bogus" "--tls-cert x.pem" "--types nosuch" "--path nosuch" \
            "--listen nocolon" "--listen 127.0.0.1:99999" "--plain-http --tls-cert a --tls-key b" \
            "extra"; do
  rc=0
  # shellcheck disable=SC2086
  "$SERVER_BIN" $args >/dev/null 2>"$TMP/err" || rc=$?
  [ "$rc" -eq 2 ] || fail "segrecv-server $args: exit $rc, expected 2 ($(cat "$TMP/err"))"
done
"$SERVER_BIN" --help | grep -q '^Usage: segrecv-server' || fail "--help"
note "usage errors exit 2"

"$GEN_BIN" track --seed 2 >"$TMP/track.json"
start_server --plain-http --path /a --path /b/c --api-key k1
[[ $URL == "http://127.0.0.1:$PORT/a" ]] || fail "first listening line: $URL"
grep -q "^listening on http://127.0.0.1:$PORT/b/c$" "$SERVER_LOG" || fail "no line for /b/c"
grep -q 'example key' "$SERVER_LOG" && fail "example-key notice despite --api-key"
status=$(post "$TMP/track.json" --user k1:)
expect_status 200 "$status" "POST /a"
URL=http://127.0.0.1:$PORT/b/c
status=$(post "$TMP/track.json" --user k1:)
expect_status 200 "$status" "POST /b/c"
URL=http://127.0.0.1:$PORT/segment
status=$(post "$TMP/track.json" --user k1:)
expect_status 404 "$status" "POST /segment when not served"
URL=http://127.0.0.1:$PORT/a
status=$(post "$TMP/track.json" --user segment:)
expect_status 401 "$status" "example key when --api-key is given"
stop_server
note "--plain-http, --path and --api-key ok"

if ! command -v openssl >/dev/null; then
  echo "[$TEST_NAME] SKIP: no openssl command for the TLS checks"
  exit 77
fi

# The generated certificate: the fingerprint printed is the one served.
start_server
grep -q "no --api-key given; accepting the example key 'segment'" "$SERVER_LOG" ||
  fail "no example-key notice"
printed=$(sed -n 's/.*SHA-256 fingerprint \([0-9A-F:]*\)$/\1/p' "$SERVER_LOG")
served=$(timeout 10 openssl s_client -connect "127.0.0.1:$PORT" </dev/null 2>/dev/null |
  openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//')
[ -n "$printed" ] && [ "$printed" = "$served" ] ||
  fail "fingerprint printed '$printed', served '$served'"
timeout 10 openssl s_client -connect "127.0.0.1:$PORT" </dev/null 2>/dev/null |
  openssl x509 -noout -text >"$TMP/cert.txt"
grep -q 'DNS:localhost' "$TMP/cert.txt" && grep -q 'IP Address:127.0.0.1' "$TMP/cert.txt" ||
  fail "generated certificate lacks localhost / 127.0.0.1: $(grep -A1 'Alternative' "$TMP/cert.txt")"
stop_server
note "generated certificate: fingerprint $printed matches"

# A certificate from files, verified by curl without -k.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=localhost -addext subjectAltName=DNS:localhost \
  -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null || fail "openssl req failed"
start_server --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem"
status=$(curl -sS --max-time 20 --cacert "$TMP/cert.pem" --resolve "localhost:$PORT:127.0.0.1" \
  -o "$TMP/body" -w '%{http_code}' --user segment: -H 'Content-Type: application/json' \
  --data-binary @"$TMP/track.json" "https://localhost:$PORT/segment")
expect_status 200 "$status" "verified TLS with --tls-cert"
stop_server
rc=0
"$SERVER_BIN" --listen 127.0.0.1:0 --tls-cert "$TMP/track.json" --tls-key "$TMP/key.pem" \
  2>"$TMP/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q 'track.json' "$TMP/err" || fail "a bad certificate file: exit $rc"
note "ok: --tls-cert/--tls-key served and verified; a bad file is named"
