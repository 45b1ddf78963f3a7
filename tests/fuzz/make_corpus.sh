#!/bin/sh
# Rebuilds the seed corpora in tests/fuzz/corpus/<harness>/ from tests/data.
# The result is committed; run this again when tests/data changes.
# Input formats are described at the top of each fuzz_*.c.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../data"
out="$here/corpus"
rm -rf "$out"
mkdir -p "$out/fuzz_request" "$out/fuzz_auth" "$out/fuzz_value"

auth='Authorization: Basic d3JpdGVrZXk6'   # "writekey:"
ct='Content-Type: application/json'

# fuzz_request: 4 option bytes, a header block, a blank line, the body.
# $1 file name, $2 option bytes (printf escapes), $3 header lines, $4 body file
request() {
  {
    printf "$2"
    printf '%s\r\n' "$3" | sed 's/|/\r\n/g'   # "|" separates header lines
    printf '\r\n'
    cat "$4"
  } > "$out/fuzz_request/$1"
}

i=0
for f in "$data"/segment/*.json; do
  name=$(basename "$f" .json)
  # Vary options so every mode has real events to start from: one-shot and
  # pairs, chunk classes, answers, lenient timestamps for the Go-format deletes.
  case $((i % 4)) in
    0) opts='\000\000\000\000' ;;
    1) opts='\041\011\102\000' ;;
    2) opts='\010\032\003\000' ;;
    3) opts='\043\003\201\000' ;;
  esac
  request "$name" "$opts" "$auth|$ct" "$f"
  i=$((i + 1))
done

empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
track="$data/segment/track-segment-docs-1.json"
request hdr-content-length '\000\000\000\000' "$auth|$ct|Content-Length: 17" "$track"
request hdr-no-auth '\000\000\000\000' "$ct" "$track"
request hdr-bearer '\001\000\000\000' "Authorization: Bearer x|$ct" "$track"
request hdr-gzip '\001\000\000\000' "$auth|$ct|Content-Encoding: gzip" "$track"
request hdr-key-callback '\100\000\000\000' "Authorization: Basic Y2Itbm86|$ct" "$track"
request hdr-chunked '\001\000\000\000' "$auth|Transfer-Encoding: chunked|Content-Length: 5" "$track"
request hdr-charset '\001\000\000\000' "$auth|Content-Type: application/json; charset=latin1" "$track"
request hdr-settings '\000\000\000\000' "$auth|$ct|X-Segment-Settings: e30=" "$track"
request maintenance '\200\000\000\000' "$auth|$ct" "$track"
request small-limits '\020\000\000\377' "$auth|$ct" "$track"
request empty-body '\000\000\000\000' "$auth|$ct" "$empty"

# Batches (byte 2 bit 5; bit 4 all-or-nothing): the envelopes, and the
# Webhooks form, a top-level array of events.
for f in "$data"/segment/batch-*.json; do
  request "batchopt-$(basename "$f" .json)" '\000\000\040\000' "$auth|$ct" "$f"
done
request batch-all-or-nothing '\000\002\060\000' "$auth|$ct" "$data/segment/batch-segment-docs-http-api.json"
{ printf '['; cat "$track"; printf ','; cat "$data/segment/identify-segment-docs-1.json"; printf ']'; } > "$empty"
request batch-array '\000\011\040\000' "$auth|$ct" "$empty"
: > "$empty"

# fuzz_auth: 1 option byte, then the Authorization value.
auth_seed() { printf "$2%s" "$3" > "$out/fuzz_auth/$1"; }
auth_seed writekey '\000' 'Basic d3JpdGVrZXk6'
auth_seed writekey-block '\002' 'basic   d3JpdGVrZXk6OnBhc3M='
auth_seed nul-key '\000' 'Basic bnVsAGtleTo='
auth_seed cb-ok '\001' 'Basic Y2Itb2s6'
auth_seed cb-no '\003' 'Basic Y2Itbm86'
auth_seed cb-bad '\001' 'Basic Y2ItYmFkOg=='
auth_seed limit '\004' 'Basic d3JpdGVrZXk6'
auth_seed bearer '\002' 'Bearer x'
auth_seed empty '\000' 'Basic'
auth_seed pad-bits '\000' 'Basic d3JpdGVrZXk6QR=='
auth_seed no-colon '\000' 'Basic d3JpdGVrZXk='

# fuzz_value: option byte, query length, query, JSON text.
value_seed() {
  { printf "$2"; cat "$3"; } > "$out/fuzz_value/$1"
}
for f in "$data"/segment/*.json; do
  value_seed "seg-$(basename "$f" .json)" '\000\023context.page.title' "$f"
done
for f in "$data"/JSONTestSuite/test_parsing/*.json; do
  # Larger inputs would be cut at the -max_len of 16384 anyway.
  [ "$(wc -c < "$f")" -le 16384 ] || continue
  value_seed "jts-$(basename "$f" .json)" '\002\0010' "$f"
done
# Nesting at the depth ceiling.
deep() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "["; printf "1"; for (i = 0; i < n; i++) printf "]" }'; }
deep 127 > "$empty"; value_seed depth-127 '\003\0010' "$empty"
deep 126 > "$empty"; value_seed depth-126 '\002\0010' "$empty"
