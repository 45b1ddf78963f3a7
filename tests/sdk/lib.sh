# shellcheck shell=bash disable=SC2034 # its variables are for the test scripts
# Shared helpers for the SDK tests; sourced by each test script. They add to
# the end-to-end helpers (server start and stop, post, fail, note): the SDKs
# of package.json installed with npm into NPM_DIR, inside the build
# directory, once for every later run.
# Usage of a test: bash TEST.sh SERVER GEN CHECK DATA_DIR NPM_DIR
# shellcheck source=../e2e/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

NPM_DIR=${5:?usage: $0 SERVER GEN CHECK DATA_DIR NPM_DIR}
SDK_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

skip() {
  echo "[$TEST_NAME] SKIP: $*"
  exit 77
}

# sdk_version PACKAGE: the installed version of an npm package.
sdk_version() {
  node -p "require('$NPM_DIR/node_modules/$1/package.json').version"
}

# sdks_ready: the packages of package.json, installed unless the cache
# already holds exactly them. Skips (77) when npm cannot reach its registry;
# any other failure fails. A lock keeps parallel tests from installing twice.
sdks_ready() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    fail "node and npm are needed (.ci/install-deps installs them)"
  fi
  mkdir -p "$NPM_DIR"
  exec 9>"$NPM_DIR/.lock"
  flock -w 300 9 || fail "another test held the npm cache lock for 300 s"
  if [ -f "$NPM_DIR/.installed" ] && cmp -s "$SDK_SRC/package.json" "$NPM_DIR/package.json"; then
    exec 9>&-
    return
  fi
  # No retries: an unreachable registry is known in a second, not a minute.
  if ! timeout 60 npm ping --fetch-retries=0 --fetch-timeout=20000 >"$TMP/npm-ping.log" 2>&1; then
    skip "npm cannot reach its registry: $(grep -i -m1 error "$TMP/npm-ping.log" || tail -n1 "$TMP/npm-ping.log")"
  fi
  rm -f "$NPM_DIR/.installed"
  cp "$SDK_SRC/package.json" "$NPM_DIR/package.json"
  local started=$SECONDS
  if ! timeout 300 npm install --prefix "$NPM_DIR" --cache "$NPM_DIR/.npm-cache" \
       --no-audit --no-fund --no-package-lock --omit=dev >"$TMP/npm-install.log" 2>&1; then
    tail -n 20 "$TMP/npm-install.log" >&2
    fail "npm install failed"
  fi
  touch "$NPM_DIR/.installed"
  note "installed the SDKs into $NPM_DIR in $((SECONDS - started)) s"
  exec 9>&-
}

# test_certificate: a certificate for 127.0.0.1 that Node.js trusts through
# NODE_EXTRA_CA_CERTS; sets CERT and KEY. Needs the openssl command.
test_certificate() {
  CERT=$TMP/cert.pem
  KEY=$TMP/key.pem
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$KEY" -out "$CERT" 2>/dev/null || fail "openssl req failed"
}

# json_field FILE FIELD: one field of a one-line JSON summary.
json_field() {
  node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
           const v = s[process.argv[2]];
           console.log(typeof v === "object" ? JSON.stringify(v) : v);' "$1" "$2"
}

# batch_of FILE...: the events of the files (one JSON event per line) as one
# top-level JSON array, the Webhooks destination's form.
batch_of() {
  local first=1 line
  printf '['
  cat "$@" | while IFS= read -r line; do
    [ -n "$line" ] || continue
    [ "$first" = 1 ] || printf ','
    first=0
    printf '%s' "$line"
  done
  printf ']'
}
