#!/usr/bin/env bash
# Scan throughput, peak memory and rescan time of `vigil scan` against
# `find TREE -type f -exec sha256sum {} +` over the same tree, in the same run, warm page cache.
# Goals (issue 2): throughput >= 2.0x sha256sum, peak RSS <= 300 MB, rescan <= 10% of first scan.
#
#   bench/scan.sh                 # builds /tmp/vigil-bench-tree (copy of /usr/lib + /usr/bin) once
#   VIGIL_BENCH_TREE=DIR bench/scan.sh
#   VIGIL_BENCH_CORE=1 bench/scan.sh   # the collector + IOC detectors only (bench/scan-core.mjs)
#
# Not part of `npm test`. Needs GNU time (/usr/bin/time -v) and coreutils.
set -euo pipefail
cd "$(dirname "$0")/.."

TREE=${VIGIL_BENCH_TREE:-/tmp/vigil-bench-tree}
WORK=$(mktemp -d /tmp/vigil-bench-scan.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [ ! -d "$TREE" ]; then
  echo "building $TREE (copy of /usr/lib and /usr/bin)..." >&2
  mkdir -p "$TREE"
  cp -a /usr/lib /usr/bin "$TREE"/ 2>/dev/null || true
fi
npm run build >/dev/null

files=$(find "$TREE" -type f | wc -l)
bytes=$(find "$TREE" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}')
mode="vigil scan (all layers)"
[ -n "${VIGIL_BENCH_CORE:-}" ] && mode="collector + IOC detectors only"
echo "tree: $TREE  files: $files  bytes: $bytes ($((bytes / 1024 / 1024)) MiB)  mode: $mode"

echo "warming the page cache..." >&2
find "$TREE" -type f -exec cat {} + >/dev/null

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

sha_run() {
  local t0 t1
  t0=$(now)
  find "$TREE" -type f -exec sha256sum {} + >/dev/null
  t1=$(now)
  secs "$t0" "$t1"
}

# vigil_run NAME: wall seconds on stdout; peak RSS (KiB) in $WORK/NAME.rss
vigil_run() {
  local name=$1 t0 t1
  t0=$(now)
  if [ -n "${VIGIL_BENCH_CORE:-}" ]; then
    /usr/bin/time -v -o "$WORK/$name.time" node bench/scan-core.mjs "$TREE" "$WORK/cache" "$WORK/$name.json"
  else
    /usr/bin/time -v -o "$WORK/$name.time" node bin/vigil.js scan "$TREE" --cache-dir "$WORK/cache" \
      --format json --output "$WORK/$name.json" --fail-on none --quiet || true
  fi
  t1=$(now)
  awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/$name.time" >"$WORK/$name.rss"
  secs "$t0" "$t1"
}

sha1=$(sha_run)
first=$(vigil_run first)
sha2=$(sha_run)
rescan=$(vigil_run rescan)
sha=$(echo "($sha1 + $sha2) / 2" | bc -l)

node -e '
const [files, bytes, sha, first, rescan, rssFirst, rssRescan, report] = process.argv.slice(1)
const r = JSON.parse(require("fs").readFileSync(report, "utf8"))
const f = (n, d = 2) => Number(n).toFixed(d)
console.log(`sha256sum (mean of 2):  ${f(sha)} s  ${f(bytes / sha / 1048576, 0)} MiB/s`)
console.log(`vigil scan (first):     ${f(first)} s  ${f(bytes / first / 1048576, 0)} MiB/s  peak RSS ${f(rssFirst / 1024, 0)} MB`)
console.log(`vigil scan (rescan):    ${f(rescan)} s  peak RSS ${f(rssRescan / 1024, 0)} MB  (cached ${r.stats.cached} of ${files} files)`)
console.log(`artifacts in the report: ${r.stats.files} (archives opened: ${r.stats.archives}), findings: ${r.findings.length}, problems: ${r.problems.length}`)
console.log(`throughput ratio vigil/sha256sum: ${f(sha / first)}x  (goal >= 2.0)`)
console.log(`peak RSS: ${f(Math.max(rssFirst, rssRescan) / 1024, 0)} MB  (goal <= 300)`)
console.log(`rescan / first scan: ${f((100 * rescan) / first, 1)}%  (goal <= 10%)`)
' "$files" "$bytes" "$sha" "$first" "$rescan" "$(cat "$WORK/first.rss")" "$(cat "$WORK/rescan.rss")" "$WORK/rescan.json"
