# Segment's own Node.js SDK, @segment/analytics-node, as an application uses
# it: 300 calls of all six types, batched by the SDK (flushAt 20), posted to
# /v1/batch with the write key as Basic auth over HTTPS (a test certificate
# Node.js is told to trust; plain HTTP when there is no openssl command),
# then closeAndFlush(). The server must write exactly those 300 events, each
# field as sent. The SDK offers no gzip.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
sdks_ready
version=$(sdk_version @segment/analytics-node)
COUNT=300
WRITE_KEY=wk-segment-node

# HTTPS with a certificate Node.js trusts; plain HTTP without openssl.
if command -v openssl >/dev/null; then
  test_certificate
  start_server --tls-cert "$CERT" --tls-key "$KEY" --path /v1/batch --api-key "$WRITE_KEY"
  export NODE_EXTRA_CA_CERTS=$CERT
  transport=HTTPS
else
  start_server --plain-http --path /v1/batch --api-key "$WRITE_KEY"
  transport="plain HTTP (no openssl command for a test certificate)"
fi
scheme=${URL%%://*}
rc=0
timeout 120 node "$SDK_SRC/send_segment.js" --modules "$NPM_DIR" \
  --host "$scheme://127.0.0.1:$PORT" --path /v1/batch --key "$WRITE_KEY" --count "$COUNT" \
  --flush-at 20 --tag seg --out "$TMP/sent.json" >"$TMP/summary.json" 2>"$TMP/send.err" || rc=$?
[ "$rc" -eq 0 ] || fail "the SDK reported failures (exit $rc): $(cat "$TMP/summary.json" "$TMP/send.err")"
stop_server
grep -q "stopped; $COUNT events written" "$SERVER_LOG" || fail "server summary: $(tail -n1 "$SERVER_LOG")"

node "$SDK_SRC/verify.js" --sent "$TMP/sent.json" --events "$EVENTS" --sdk segment \
  >"$TMP/verify.out" 2>&1 || fail "$(cat "$TMP/verify.out")"
requests=$(json_field "$TMP/summary.json" requests)
note "@segment/analytics-node $version over $transport: $COUNT events sent in $requests batches" \
  "(sizes $(json_field "$TMP/summary.json" batchSizes)), statuses" \
  "$(json_field "$TMP/summary.json" statuses), gzip: $(json_field "$TMP/summary.json" gzip)" \
  "(the SDK has no compression option)"
note "$(cat "$TMP/verify.out")"
