#!/usr/bin/env bash
# Measures `connectorgen diff` on a partner-scale upgrade (issue 13): Stripe's corpus spec
# (2023-08-16) against the Stripe spec of github.com/stripe/stripe-mock@v0.203.0
# (embedded/openapi/spec3.json, brought by `go mod download` through the module proxy).
# Prints the CPU time (user + system, the diff and the go commands it runs), the peak RSS of the
# largest process, the report's lines and longest line, and the report's summary.
#
# Usage: scripts/diff-stripe.sh [extra diff flags, e.g. -format markdown]
# Environment: SHARED [<checkout>/../shared]  OUT [a temp dir]: where the report and the binary go
# Needs GNU time (/usr/bin/time, Debian package `time`).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$ROOT/../shared}
OLD=$SHARED/corpus/openapi/stripe/spec3.yaml
[ -f "$OLD" ] || { echo "no corpus spec at $OLD (set SHARED)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"

MOD=$(cd "$OUT" && GOFLAGS=-mod=mod go mod download -json github.com/stripe/stripe-mock@v0.203.0 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
NEW=$MOD/embedded/openapi/spec3.json
[ -f "$NEW" ] || { echo "stripe-mock's spec not found under $MOD" >&2; exit 1; }

(cd "$ROOT" && go build -o "$OUT/connectorgen" ./cmd/connectorgen)
set +e
/usr/bin/time -v "$OUT/connectorgen" diff -old "$OLD" -new "$NEW" -package stripe -runtime "$ROOT/runtime" "$@" \
	> "$OUT/report.txt" 2> "$OUT/time.txt"
code=$?
set -e
user=$(sed -n 's/^[[:space:]]*User time (seconds): //p' "$OUT/time.txt")
sys=$(sed -n 's/^[[:space:]]*System time (seconds): //p' "$OUT/time.txt")
rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$OUT/time.txt")
wall=$(sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/time.txt")
echo "old:     $OLD"
echo "new:     $NEW"
echo "exit:    $code (1: breaking changes found)"
echo "cpu:     $(awk "BEGIN { print $user + $sys }") s (user $user s, system $sys s), wall $wall"
echo "peak:    $((rss / 1024)) MiB RSS"
echo "report:  $(wc -l < "$OUT/report.txt") lines, longest $(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$OUT/report.txt") characters: $OUT/report.txt"
echo
sed -n '/^Summary/,/^$/p' "$OUT/report.txt"
