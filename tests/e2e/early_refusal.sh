# A request refused at its headers (401, 413, ...) never has its body
# parsed, and the client always gets the answer:
#  - with "Expect: 100-continue", or a declared body over 1 MiB, the answer
#    goes out at once, before any body byte is sent or read;
#  - otherwise the server drops the body as it arrives and answers at its
#    end, on a connection that stays usable (answering earlier makes
#    libmicrohttpd close the connection under a client still sending, and
#    curl then fails with "Send failure: Broken pipe").
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

{ printf '{"type":"identify","user_id":"u1","traits":{"pad":"'
  head -c 40000 /dev/zero | tr '\0' x
  printf '"}}'; } >"$TMP/big.json"
"$GEN_BIN" identify --seed 3 >"$TMP/ok.json"

start_server
# Repeated, because losing the answer was a race.
for i in $(seq 1 25); do
  status=$(post "$TMP/big.json" --user wrong:) || fail "40 KB, bad key, try $i: curl failed"
  expect_status 401 "$status" "40 KB body with a bad key, try $i"
  status=$(post "$TMP/big.json" --user segment:) || fail "40 KB, try $i: curl failed"
  expect_status 413 "$status" "40 KB body, try $i"
done
note "50 refusals with a 40 KB body, all answered"

# After a refusal the connection carries the next request.
out=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{num_connects}\n' \
  -H 'Content-Type: application/json' --user wrong: --data-binary @"$TMP/big.json" "$URL" \
  --next -k --max-time 20 -o /dev/null -w '%{http_code} %{num_connects}\n' \
  -H 'Content-Type: application/json' --user segment: --data-binary @"$TMP/ok.json" "$URL")
[ "$out" = "$(printf '401 1\n200 0')" ] ||
  fail "refusal then event on one connection: got '${out//$'\n'/ }', want '401 1 200 0'"
note "a refused request leaves its connection usable"
stop_server

# Byte level, over plain HTTP: what is sent, and when the answer comes.
start_server --plain-http
[[ $URL == http://* ]] || fail "--plain-http announced $URL"
auth_bad='Authorization: Basic d3Jvbmc6' # "wrong:"

# request HEADERS...: open a connection and send a request head.
request() {
  exec 3<>"/dev/tcp/127.0.0.1/$PORT"
  {
    printf 'POST /segment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
    for h in "$@"; do printf '%s\r\n' "$h"; done
    printf '\r\n'
  } >&3
}
# status_line WHAT: the status line of the next answer, within 5 s.
status_line() {
  local line=
  IFS= read -r -t 5 -u 3 line || fail "$1: no answer within 5 s"
  printf '%s' "${line%$'\r'}"
}
# skip_answer: read the rest of an answer (headers, then Content-Length bytes).
skip_answer() {
  local line len=0
  while IFS= read -r -t 5 -u 3 line && [ "${line%$'\r'}" != "" ]; do
    case ${line,,} in content-length:*) len=${line#*:}; len=${len//[$' \r']/} ;; esac
  done
  [ "$len" -eq 0 ] || read -r -t 5 -u 3 -N "$len" _
}

request "$auth_bad" 'Content-Length: 20000' 'Expect: 100-continue'
got=$(status_line "Expect: 100-continue")
[[ $got == 'HTTP/1.1 401 '* ]] || fail "with Expect: 100-continue, got '$got'"
exec 3>&-
note "Expect: 100-continue: 401 before any body byte"

request "$auth_bad" 'Content-Length: 5000000'
got=$(status_line "declared 5 MB")
[[ $got == 'HTTP/1.1 401 '* ]] || fail "declared 5 MB, got '$got'"
exec 3>&-
note "declared body over 1 MiB: 401 at once, body never read"

request "$auth_bad" 'Content-Length: 5000'
head -c 5000 /dev/zero | tr '\0' ' ' >&3
got=$(status_line "5000-byte body")
[[ $got == 'HTTP/1.1 401 '* ]] || fail "5000-byte body: got '$got'"
skip_answer
# Same connection: a valid event now.
len=$(wc -c <"$TMP/ok.json")
{
  printf 'POST /segment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
  printf 'Authorization: Basic c2VnbWVudDo=\r\nContent-Length: %s\r\n\r\n' "$len"
  cat "$TMP/ok.json"
} >&3
got=$(status_line "valid event after a drained refusal")
[[ $got == 'HTTP/1.1 200 '* ]] || fail "valid event after the refusal, same connection: '$got'"
exec 3>&-
note "small body: dropped, 401, then the connection serves a 200"

stop_server
[ "$(wc -l <"$EVENTS")" -eq 2 ] || fail "expected the 2 valid events only"
note "ok"
