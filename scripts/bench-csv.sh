#!/usr/bin/env bash
# Collect the figures that the benchmarks printed ("bench: BENCHMARK
# METRIC=VALUE [spread=S%] [unstable]") in the logs of the bench boots
# (build/logs/BOOT-bench.log) into one CSV file on standard output: one row
# per benchmark, boot and metric.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: bench-csv.sh LOG..."

echo "benchmark,boot,metric,value,spread_pct,unstable"
for logf in "$@"; do
	boot=$(basename "$logf" -bench.log)
	sed -n 's/^    bench: //p' "$logf" | awk -v boot="$boot" '
	{
		split($2, kv, "=")
		spread = ""
		unstable = 0
		for (i = 3; i <= NF; i++) {
			if ($i ~ /^spread=/) {
				spread = substr($i, 8)
				sub(/%$/, "", spread)
			} else if ($i == "unstable") {
				unstable = 1
			}
		}
		printf "%s,%s,%s,%s,%s,%d\n", $1, boot, kv[1], kv[2], spread, unstable
	}'
done
