#!/usr/bin/env bash
# Print the figures the benchmarks reported ("bench: " lines) in each boot's
# log, then the verdict of the runs.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

for logf in "$@"; do
	echo "$(basename "$logf" .log):"
	sed -n 's/^    bench: /  /p' "$logf"
done
"$TOP/scripts/verdict.sh" "$@"
