#!/usr/bin/env bash
# Print the account the demonstration program gave in a boot's log, and
# whether it (and the kernel) ran cleanly.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

logf=${1:?usage: show-run.sh LOG}
echo
grep -E '^Linux version|Protected hVHE mode|Protected nVHE mode' "$logf" | sed 's/ (.*//' || true
sed -n 's/^    demo: /  /p' "$logf"
echo
"$TOP/scripts/verdict.sh" "$logf"
