#!/usr/bin/env bash
# Run a stage of the harness, NAME CMD..., and record how long it took in
# build/stages.txt ("stage NAME: Ns" plus the status).
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

name=${1:?usage: stage.sh NAME CMD...}
shift
mkdir -p "$BUILD"
start=$(date +%s)
"$@"
status=$?
line=$(printf 'stage %-28s %5ss%s' "$name" "$(($(date +%s) - start))" \
	"$([ $status = 0 ] || echo "  (failed, status $status)")")
echo "$line" >>"$BUILD/stages.txt"
log "$line"
exit $status
