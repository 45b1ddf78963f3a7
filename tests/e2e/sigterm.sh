# SIGTERM under load: the server stops accepting, lets the requests in
# flight finish, exits 0, and every event it acknowledged with 200 is in
# the events file, exactly once, on a whole line. Then, byte by byte: a
# request half-sent at SIGTERM still completes with 200.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CLIENTS=10
REQUESTS=400

start_server
"$GEN_BIN" page --seed 9 >"$TMP/template.json"
template_id=$(message_id "$TMP/template.json")
sed 's/\\/\\\\/g; s/"/\\"/g' "$TMP/template.json" >"$TMP/template.escaped"
awk -v clients="$CLIENTS" -v requests="$REQUESTS" -v url="$URL" -v old="$template_id" \
    -v dir="$TMP" '
  { body = $0 }
  END {
    at = index(body, old)
    for (c = 1; c <= clients; c++) {
      conf = dir "/client" c ".conf"
      for (r = 1; r <= requests; r++) {
        id = "term-c" c "-r" r
        printf "url = \"%s\"\ninsecure\nuser = \"segment:\"\n", url > conf
        printf "header = \"Content-Type: application/json\"\n" > conf
        printf "data-binary = \"%s%s%s\"\n", substr(body, 1, at - 1), id,
               substr(body, at + length(old)) > conf
        printf "output = \"/dev/null\"\nmax-time = 30\n" > conf
        printf "write-out = \"%%{http_code} %s\\n\"\n", id > conf
        if (r < requests) printf "next\n" > conf
      }
      close(conf)
    }
  }' "$TMP/template.escaped"

pids=()
for c in $(seq 1 "$CLIENTS"); do
  curl -sS -K "$TMP/client$c.conf" >"$TMP/client$c.out" 2>/dev/null &
  pids+=($!)
done
# Stop once the load is well under way (at least 200 events written).
for _ in $(seq 1 300); do
  [ "$(wc -l <"$EVENTS" 2>/dev/null || echo 0)" -ge 200 ] && break
  sleep 0.1
done
stop_server # SIGTERM; must exit 0 within 20 s
for pid in "${pids[@]}"; do wait "$pid" || true; done

total=$((CLIENTS * REQUESTS))
cat "$TMP"/client*.out >"$TMP/answers"
grep '^200 ' "$TMP/answers" | cut -d' ' -f2 | sort >"$TMP/acknowledged"
acked=$(wc -l <"$TMP/acknowledged")
[ "$acked" -ge 200 ] || fail "only $acked requests acknowledged before the stop"
[ "$acked" -lt "$total" ] || fail "all $total requests done before SIGTERM: the test proves nothing"
note "SIGTERM after $acked of $total requests were acknowledged"

bad=$(grep -cv '^{"type":"page","message_id":"term-c[0-9]*-r[0-9]*",.*}$' "$EVENTS" || true)
[ "$bad" -eq 0 ] || fail "$bad torn or foreign lines in the events file"
[ -z "$(tail -c1 "$EVENTS")" ] || fail "the events file does not end with a newline"
grep -o '"message_id":"term-c[0-9]*-r[0-9]*"' "$EVENTS" | cut -d'"' -f4 | sort >"$TMP/written"
dups=$(uniq -d "$TMP/written" | wc -l)
[ "$dups" -eq 0 ] || fail "$dups events written twice"
missing=$(comm -23 "$TMP/acknowledged" "$TMP/written" | wc -l)
[ "$missing" -eq 0 ] || fail "$missing acknowledged events missing from the events file"
# The server waits for open connections, so none is cut after its event
# was recorded: written and acknowledged are the same set.
cmp -s "$TMP/acknowledged" "$TMP/written" ||
  fail "$(comm -13 "$TMP/acknowledged" "$TMP/written" | wc -l) events written but not acknowledged"
written=$(wc -l <"$TMP/written")
grep -q "stopped; $written events written" "$SERVER_LOG" ||
  fail "server summary does not say $written events"
note "under load: $acked acknowledged, $written written, none missing, extra or doubled"

# A request in flight at SIGTERM, over plain HTTP to control each byte.
rm -f "$EVENTS"
start_server --plain-http
"$GEN_BIN" identify --seed 21 >"$TMP/slow.json"
len=$(wc -c <"$TMP/slow.json")
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'POST /segment HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' >&3
printf 'Authorization: Basic c2VnbWVudDo=\r\nContent-Length: %s\r\n\r\n' "$len" >&3
head -c 100 "$TMP/slow.json" >&3
exec 4<>"/dev/tcp/127.0.0.1/$PORT" # and an idle keep-alive connection
sleep 0.3
kill -TERM "$SERVER_PID"
sleep 0.5
kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited with a request in flight"
rc=0
"${CURL[@]}" -o /dev/null "$URL" 2>/dev/null || rc=$?
[ "$rc" -eq 7 ] || fail "a new connection after SIGTERM: curl exit $rc, expected 7 (refused)"
tail -c +101 "$TMP/slow.json" >&3
IFS= read -r -t 5 -u 3 line || fail "no answer to the request in flight"
[[ $line == 'HTTP/1.1 200 '* ]] || fail "request in flight answered '$line'"
grep -qi '^connection: close' <(timeout 2 cat <&3 || true) ||
  fail "the answer during shutdown does not close its connection"
exec 3>&-
note "request in flight at SIGTERM answered 200; new connections refused"
# The idle connection closes at the 5 s connection timeout; then the
# server exits by itself, within its 10 s drain bound.
started=$(date +%s)
wait_server_exit
waited=$(($(date +%s) - started))
[ "$waited" -le 12 ] || fail "exit took ${waited}s with one idle connection"
note "exited ${waited}s after the request in flight, once the idle connection timed out"
grep -q 'second signal' "$SERVER_LOG" && fail "unexpected second signal"
[ "$(count_in_events "\"message_id\":\"$(message_id "$TMP/slow.json")\"")" -eq 1 ] ||
  fail "the event in flight at SIGTERM was not written"
exec 4>&-
note "ok"
