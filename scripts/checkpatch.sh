#!/usr/bin/env bash
# Run scripts/checkpatch.pl --strict on every patch of the series and write a
# TAP log, build/logs/checkpatch.log, that verdict.sh reads: a patch passes
# with 0 errors and 0 warnings.  series/checkpatch.ignore lists the message
# types a patch may have, each with its justification.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# Debian's python3 has python3-ply and python3-git (from deps.sh) for the
# SPDX check, even where another python3 comes first in PATH.
export PATH=/usr/bin:$PATH

logf=$BUILD/logs/checkpatch.log
ignore_file=$SERIES/checkpatch.ignore
mkdir -p "$(dirname "$logf")"
mapfile -t patches < <(find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)

# Types series/checkpatch.ignore allows for one patch, comma-separated.  The
# file names patches without their number, which moving a patch changes.
ignored_types() {
	[ -f "$ignore_file" ] || return 0
	awk -v p="${1#[0-9][0-9][0-9][0-9]-}" \
		'$1 == p { printf "%s%s", sep, $2; sep = "," }' "$ignore_file"
}

{
	echo "TAP version 13"
	echo "1..${#patches[@]}"
	n=0
	for p in "${patches[@]}"; do
		n=$((n + 1))
		name=$(basename "$p")
		ignore=$(ignored_types "$name")
		out=$(cd "$TREE" && scripts/checkpatch.pl --strict --no-summary \
			${ignore:+--ignore "$ignore"} "$p" 2>&1) || true
		if echo "$out" | grep -qE '^(ERROR|WARNING):'; then
			echo "not ok $n $name # checkpatch errors or warnings"
		else
			echo "ok $n $name"
		fi
		[ -z "$out" ] || awk '{ print "    " $0 }' <<<"$out"
	done
	echo "# all tests done"
} >"$logf"
grep -E '^(not )?ok ' "$logf" || true
