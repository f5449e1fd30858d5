#!/usr/bin/env bash
# Print what the random tester and the fault-injection tests did in the boots
# whose serial logs are given: for each run of guest_memfd_random_test, its
# operations per second and how many of each operation ran (and failed); for
# every test, the allocation failures it injected, and the path they hit
# (the test's own words: a conversion, a share, a first run, ...).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: reliability.sh LOG..."

echo "Random tester and injected failures:"
awk '
FNR == 1 { boot = FILENAME; sub(/.*\//, "", boot); sub(/\.log$/, "", boot); print boot ":" }
/^# ===== START / {
	test = $0; sub(/^# ===== START /, "", test); sub(/ =====$/, "", test)
	random = test ~ /^guest_memfd_random_test/; counts = 0; named = 0
	next
}
/^# ===== END / { test = ""; next }
test == "" || !/^    / { next }
# The random tester: the counts it printed last, those of the whole run.
random && /^    In all/ { counts = 1 }
random && counts { show($0); next }
!random && /allocations failed|huge folios failed|allocates [0-9]+ pages/ { show($0) }
function show(line) {
	if (!named++)
		print "  " test ":"
	sub(/^ +/, "", line)
	print "    " line
}
' "$@"
