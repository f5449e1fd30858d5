#!/usr/bin/env bash
# Build the kernel for ARCH at every patch of the series in turn, so that a
# patch that does not build on its own is named.  Incremental: each step
# rebuilds only what the patch touched.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: bisect-build.sh ARCH}
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "$TREE has uncommitted edits"
head=$(git -C "$TREE" symbolic-ref --short HEAD)
trap 'git -C "$TREE" checkout -q "$head"' EXIT

failed=0
for c in $(git -C "$TREE" rev-list --reverse base..HEAD); do
	subject=$(git -C "$TREE" log -1 --format=%s "$c")
	git -C "$TREE" checkout -q "$c"
	mkdir -p "$BUILD/logs"
	if "$TOP/scripts/build-kernel.sh" "$arch" >"$BUILD/logs/bisect-$arch.log" 2>&1; then
		echo "ok      $subject"
	else
		echo "FAILED  $subject (see $BUILD/logs/bisect-$arch.log)"
		failed=1
		break
	fi
done
exit $failed
