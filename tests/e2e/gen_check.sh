# segrecv-gen output, for every type and 100 seeds, passes segrecv-check
# (HTTP 200, exit 0, exactly one event dispatched); camelCase and pretty
# output too. The generator is deterministic per seed and varies across
# seeds.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# check_type TYPE: seeds 1..100 of one type; prints a failure and returns
# 1 at the first event that does not pass. Bash built-ins only inside the
# loop: the run is about 1200 processes already.
check_type() {
  local type=$1 seed flags out lines
  # Under AddressSanitizer the leak check at exit doubles each run's cost;
  # the other tests run both programs with it on, so it is off for these
  # 1200 runs (this function runs in a subshell of its own).
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
  for seed in $(seq 1 100); do
    flags=(--seed "$seed")
    # Every tenth seed also in camelCase, every seventh pretty-printed.
    [ $((seed % 10)) -eq 0 ] && flags+=(--camel)
    [ $((seed % 7)) -eq 0 ] && flags+=(--pretty)
    "$GEN_BIN" "$type" "${flags[@]}" >"$TMP/$type.json" || {
      echo "segrecv-gen $type ${flags[*]} failed"; return 1; }
    out=$("$CHECK_BIN" "$TMP/$type.json") || {
      echo "segrecv-gen $type ${flags[*]} fails segrecv-check: ${out:0:300}"; return 1; }
    mapfile -t lines <<<"$out"
    if [ "${lines[0]}" != "HTTP 200" ] || [ "${#lines[@]}" -ne 3 ] ||
       [[ ${lines[2]} != "{\"type\":\"$type\","* ]]; then
      echo "segrecv-gen $type ${flags[*]}: unexpected check output: ${out:0:300}"
      return 1
    fi
  done
}

# One worker per type, in parallel.
types=(identify track page screen group alias)
pids=()
for type in "${types[@]}"; do
  check_type "$type" >"$TMP/$type.result" 2>&1 &
  pids+=($!)
done
for i in "${!types[@]}"; do
  wait "${pids[$i]}" || fail "$(cat "$TMP/${types[$i]}.result")"
done
note "600 generated events (6 types x 100 seeds) pass segrecv-check"

# Deterministic: the same seed gives the same bytes; seeds and types differ.
a=$("$GEN_BIN" track --seed 77 --count 3)
b=$("$GEN_BIN" track --seed 77 --count 3)
[ "$a" = "$b" ] || fail "--seed 77 gave two different outputs"
[ "$a" != "$("$GEN_BIN" track --seed 78 --count 3)" ] || fail "seeds 77 and 78 agree"
[ "$(echo "$a" | wc -l)" -eq 3 ] || fail "--count 3 did not print 3 lines"
[ "$(echo "$a" | sort -u | wc -l)" -eq 3 ] || fail "--count 3 repeated an event"
id1=$("$GEN_BIN" identify --seed 5 | grep -o '"message_id":"[^"]*"')
id2=$("$GEN_BIN" track --seed 5 | grep -o '"message_id":"[^"]*"')
[ "$id1" != "$id2" ] || fail "one seed gives two types the same message id"
# No seed: two runs differ.
[ "$("$GEN_BIN" page)" != "$("$GEN_BIN" page)" ] || fail "unseeded runs are equal"
# Keys: snake_case by default, camelCase with --camel.
"$GEN_BIN" identify --seed 3 | grep -q '"user_id":.*"first_name":.*"postal_code":' ||
  fail "snake_case keys missing"
"$GEN_BIN" identify --seed 3 --camel | grep -q '"userId":.*"firstName":.*"postalCode":' ||
  fail "camelCase keys missing"
# Pretty --count: documents one after another, each passes the check.
"$GEN_BIN" group --seed 4 --pretty --count 2 >"$TMP/pretty"
[ "$(grep -c '^}$' "$TMP/pretty")" -eq 2 ] || fail "--pretty --count 2: not 2 documents"
# Usage errors exit 2.
for args in "" "nosuchtype" "track --seed" "track --seed x" "track --bogus" "track page"; do
  rc=0
  # shellcheck disable=SC2086
  "$GEN_BIN" $args >/dev/null 2>&1 || rc=$?
  [ "$rc" -eq 2 ] || fail "segrecv-gen $args: exit $rc, expected 2"
done
"$GEN_BIN" --help | grep -q '^Usage: segrecv-gen' || fail "--help"
note "ok"
