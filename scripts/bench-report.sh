#!/usr/bin/env bash
# Print the figures the benchmarks reported ("bench: " lines) in each boot's
# log, collect them into build/bench/results.csv, print how they compare
# with the goals, draw the plots in build/bench/, then print the verdict of
# the runs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

out=$BUILD/bench
results=$out/results.csv
mkdir -p "$out"

for logf in "$@"; do
	echo "$(basename "$logf" .log):"
	sed -n 's/^    bench: /  /p' "$logf"
done
"$TOP/scripts/bench-csv.sh" "$@" >"$results"
echo
"$TOP/scripts/bench-summary.py" "$results"
"$TOP/scripts/bench-plot.py" "$results" "$out"
echo
echo "results: $results"
echo "plots:   $out/{rates,ratios,work-BENCHMARK-BOOT}.{svg,png}"
"$TOP/scripts/verdict.sh" "$@"
