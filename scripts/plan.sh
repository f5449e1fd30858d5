#!/usr/bin/env bash
# Print plan NAME (plans/NAME.plan) for ARCH as the guest's init reads it:
# "TIMEOUT PROGRAM [ARGS...]" lines.  With -p, print only the program names.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

progs=
[ "${1:-}" = -p ] && { progs=1; shift; }
name=${1:?usage: plan.sh [-p] NAME ARCH}
arch=${2:?usage: plan.sh [-p] NAME ARCH}
file=$TOP/plans/$name.plan
[ -f "$file" ] || die "no plan $file"

awk -v arch="$arch" -v progs="$progs" '
	/^[ \t]*(#|$)/ { next }
	$1 == "all" || $1 == arch {
		if (progs) { print $3; next }
		sub(/^[ \t]*[^ \t]+[ \t]+/, "")
		print
	}
' "$file"
