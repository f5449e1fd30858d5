#!/usr/bin/env bash
# Read the serial logs of boots (build/logs/BOOT-PLAN.log) and print a table of
# every test's result per boot, then "N passed, N failed, N skipped".  A kernel
# splat anywhere in a log fails the test that was running (or the boot, before
# the first test); so does a boot that never reached the end of its plan.
# A failed test is followed by the last lines it printed, so that a run seen
# only through its output (CI) can still be diagnosed.
# Exits non-zero if anything failed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -gt 0 ] || die "usage: verdict.sh LOG..."

awk '
function finish_boot() {
	if (boot == "")
		return
	if (!done) {
		row("FAIL", "(boot did not finish its plan: crash or timeout)")
		nfail++
		print "    last lines of " FILENAME_PREV ":"
		print_tail(last, nl, 25)
	}
}
function row(res, name) { printf "  %-5s %s\n", res, name }
# Print the last lines kept in ring buffer BUF of SIZE lines, N lines written.
function print_tail(buf, n, size,	i) {
	for (i = (n > size ? n - size : 0); i < n; i++)
		print "      | " buf[i % size]
}
function splat(line) {
	return line ~ /(WARNING|BUG|INFO): |Oops|Kernel panic|[Hh]yp panic|Internal error:|Call [Tt]race:|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|general protection fault|Unable to handle kernel/
}
FNR == 1 {
	finish_boot()
	boot = FILENAME; sub(/.*\//, "", boot); sub(/\.log$/, "", boot)
	FILENAME_PREV = FILENAME
	current = ""; done = 0; nl = 0; nt = 0
	delete splatted
	print boot ":"
}
{ last[nl++ % 25] = $0 }
/^# ===== START / { current = $0; sub(/^# ===== START /, "", current); sub(/ =====$/, "", current); nt = 0; next }
/^# all tests done/ { done = 1 }
/^(not )?ok [0-9]+ / {
	line = $0
	res = (line ~ /^ok/) ? (line ~ /# SKIP/ ? "SKIP" : "PASS") : "FAIL"
	sub(/^(not )?ok [0-9]+ /, "", line)
	name = line; sub(/ # .*/, "", name)
	if (name in splatted) {
		res = "FAIL"; line = line " # kernel splat: " splatted[name]
	}
	row(res, line)
	if (res == "FAIL")
		print_tail(tout, nt, 15)
	if (res == "PASS") npass++; else if (res == "SKIP") nskip++; else nfail++
	current = ""
	next
}
/^    / { tout[nt++ % 15] = $0; next }
splat($0) {
	where = (current == "") ? "(boot)" : current
	if (!(where in splatted)) {
		splatted[where] = $0
		if (current == "") { row("FAIL", "kernel splat outside a test: " $0); nfail++ }
	}
}
END {
	finish_boot()
	printf "%d passed, %d failed, %d skipped\n", npass, nfail, nskip
	exit nfail > 0
}
' "$@"
