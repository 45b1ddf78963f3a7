# 50 concurrent clients, 100 requests each on a keep-alive connection:
# every request is answered 200 and every event is in the events file
# exactly once, on a line of its own (none lost, torn or duplicated).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CLIENTS=${E2E_CLIENTS:-50}
REQUESTS=${E2E_REQUESTS:-100}

# E2E_SERVER_ARGS: extra server flags (the epoll pool: --threads 2).
# shellcheck disable=SC2086
start_server ${E2E_SERVER_ARGS:-}
# One realistic event as a template; each request gets a unique message id.
"$GEN_BIN" track --seed 42 >"$TMP/template.json"
template_id=$(message_id "$TMP/template.json")
# curl config files, one per client: quotes and backslashes escaped.
sed 's/\\/\\\\/g; s/"/\\"/g' "$TMP/template.json" >"$TMP/template.escaped"
awk -v clients="$CLIENTS" -v requests="$REQUESTS" -v url="$URL" -v old="$template_id" \
    -v dir="$TMP" '
  { body = $0 }
  END {
    at = index(body, old)
    for (c = 1; c <= clients; c++) {
      conf = dir "/client" c ".conf"
      for (r = 1; r <= requests; r++) {
        id = "e2e-c" c "-r" r
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

started=$(date +%s)
pids=()
for c in $(seq 1 "$CLIENTS"); do
  curl -sS -K "$TMP/client$c.conf" >"$TMP/client$c.out" 2>"$TMP/client$c.err" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
elapsed=$(($(date +%s) - started))
total=$((CLIENTS * REQUESTS))

cat "$TMP"/client*.out >"$TMP/answers"
ok=$(grep -c '^200 ' "$TMP/answers" || true)
if [ "$ok" -ne "$total" ]; then
  grep -v '^200 ' "$TMP/answers" | head -n 5 >&2 || true
  cat "$TMP"/client*.err | sort | uniq -c | head -n 5 >&2
  fail "$ok of $total requests answered 200"
fi
note "$total requests from $CLIENTS clients answered 200 in ${elapsed}s"

stop_server
lines=$(wc -l <"$EVENTS")
[ "$lines" -eq "$total" ] || fail "$lines event lines for $total accepted events"
# Every line whole: one JSON object per line, carrying one of our ids.
bad=$(grep -cv '^{"type":"track","message_id":"e2e-c[0-9]*-r[0-9]*",.*}$' "$EVENTS" || true)
[ "$bad" -eq 0 ] || fail "$bad torn or foreign lines in the events file"
grep -o '"message_id":"e2e-c[0-9]*-r[0-9]*"' "$EVENTS" | cut -d'"' -f4 | sort >"$TMP/written"
cut -d' ' -f2 "$TMP/answers" | sort >"$TMP/sent"
dups=$(uniq -d "$TMP/written" | wc -l)
[ "$dups" -eq 0 ] || fail "$dups message ids written more than once"
cmp -s "$TMP/sent" "$TMP/written" || fail "the ids written differ from the ids sent"
note "ok: $total events written, each exactly once"
