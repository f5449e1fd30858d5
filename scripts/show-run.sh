#!/usr/bin/env bash
# Print the account that the guest booted by vmm and the demonstration
# program gave in a boot's log, and whether they (and the kernel) ran cleanly.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

logf=${1:?usage: show-run.sh LOG}
echo
grep -E '^Linux version|Protected hVHE mode|Protected nVHE mode' "$logf" | sed 's/ (.*//' || true
# The guest that vmm booted: its console and the VMM's report.
sed -n '/^# ===== START vmm_test/,/^# ===== END vmm_test/s/^    /  /p' "$logf"
echo
sed -n 's/^    demo: /  /p' "$logf"
echo
"$TOP/scripts/verdict.sh" "$logf"
