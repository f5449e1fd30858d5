#!/usr/bin/env bash
# Write the commits of build/linux (base..HEAD) into series/ as format-patch
# files with a cover letter.  The output depends only on the commits and the
# branch description (the cover letter's text): no dates or hashes that
# change from one run to the next.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no $TREE: run 'make tree' first"
[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
	die "$TREE has uncommitted edits: commit them first"
count=$(git -C "$TREE" rev-list --count base..HEAD)
[ "$count" -gt 0 ] || die "no commits on top of base in $TREE"
git -C "$TREE" config branch.series.description >/dev/null ||
	die "no cover letter text: set it with 'git -C $TREE branch --edit-description'"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$TREE" format-patch -q --zero-commit --no-signature --base=base \
	--cover-letter --cover-from-description=subject -o "$tmp" base..HEAD
# The cover letter is dated "now"; date it like the last patch instead.
last_date=$(grep -m1 '^Date: ' "$(find "$tmp" -name '*.patch' | sort | tail -n 1)")
sed -i "s/^Date: .*/$last_date/" "$tmp/0000-cover-letter.patch"

find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
mkdir -p "$SERIES"
cp "$tmp"/*.patch "$SERIES/"
log "exported $count patches and the cover letter into $SERIES"
