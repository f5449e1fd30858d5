#!/usr/bin/env bash
# Give build/linux the base kernel as one commit (tag "base") and the series
# applied on top as commits (branch "series").  Commits in the tree that are
# not in the series are kept on a "saved/..." branch, never thrown away.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

# A fixed identity and date make the base commit, and so every hash derived
# from it, the same on every machine for the same tarball.
base_commit() {
	GIT_AUTHOR_NAME="Debian linux-source" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org" \
		GIT_COMMITTER_NAME="Debian linux-source" GIT_COMMITTER_EMAIL="debian-kernel@lists.debian.org" \
		GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		git -C "$TREE.tmp" commit -q "$@"
}

make_base() {
	[ -r "$LINUX_TARBALL" ] || die "$LINUX_TARBALL missing: install linux-source-6.12 (make deps)"
	log "unpacking $LINUX_TARBALL into $TREE"
	rm -rf "$TREE.tmp"
	mkdir -p "$TREE.tmp"
	tar -xJf "$LINUX_TARBALL" -C "$TREE.tmp" --strip-components=1
	# Debian's top-level .gitignore ignores everything ("/*") because the
	# packaging lives outside its repository; drop that block so that
	# files the series adds are seen by git.
	sed -i '/^# Debian packaging:/,$d' "$TREE.tmp/.gitignore"
	git -C "$TREE.tmp" init -q -b series
	git -C "$TREE.tmp" add -A
	base_commit -m "Linux $(base_version "$TREE.tmp") from $(basename "$LINUX_TARBALL")" \
		-m "The Debian packaging block of the top-level .gitignore is removed."
	git -C "$TREE.tmp" tag base
	mv "$TREE.tmp" "$TREE"
}

base_version() {
	make -s -C "$1" kernelversion 2>/dev/null
}

series_patches() {
	find "$SERIES" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

patch_ids() {
	git patch-id --stable | cut -d' ' -f1
}

series_ids() {
	local p
	series_patches | while read -r p; do patch_ids <"$p"; done
}

tree_ids() {
	local c
	git -C "$TREE" rev-list --reverse base..HEAD | while read -r c; do
		git -C "$TREE" show "$c" | patch_ids
	done
}

# The cover letter's subject and body become the branch description, which
# "make export" turns back into the cover letter.
set_description() {
	local cover=$SERIES/0000-cover-letter.patch
	[ -f "$cover" ] || return 0
	awk '
		/^Subject: / && !subj { sub(/^Subject: \[PATCH[^]]*\] */, ""); subj = $0; next }
		subj != "" && !body && /^ / { subj = subj $0; next }
		subj != "" && !body && /^$/ { print subj; print ""; body = 1; next }
		body && /^[^ ].* \([0-9]+\):$/ { exit }
		body { print }
	' "$cover" >"$TREE/.git/description.tmp"
	git -C "$TREE" config branch.series.description "$(cat "$TREE/.git/description.tmp")"
	rm -f "$TREE/.git/description.tmp"
}

apply_series() {
	local p
	[ -z "$(git -C "$TREE" status --porcelain --untracked-files=no)" ] ||
		die "$TREE has uncommitted edits: commit them (then make export) or stash them first"
	if [ "$(tree_ids)" = "$(series_ids)" ]; then
		log "$TREE already has the series applied"
		set_description
		return 0
	fi
	if [ "$(git -C "$TREE" rev-parse HEAD)" != "$(git -C "$TREE" rev-parse base)" ]; then
		local saved
		saved="saved/$(date +%Y%m%d-%H%M%S)"
		git -C "$TREE" branch "$saved" HEAD
		log "tree commits differ from series/: kept them on branch $saved"
	fi
	git -C "$TREE" checkout -q -B series base
	series_patches | while read -r p; do
		if ! git -C "$TREE" am -q --committer-date-is-author-date "$p"; then
			git -C "$TREE" am --abort || true
			die "$(basename "$p") does not apply on Linux $(base_version "$TREE"); fix it in series/"
		fi
	done
	set_description
	log "applied $(series_patches | wc -l) patches on Linux $(base_version "$TREE")"
}

[ -d "$TREE/.git" ] || make_base
base=$(base_version "$TREE")
log "base: Linux $base ($(git -C "$TREE" log -1 --format=%s base))"
[ "$base" = "${LINUX_SOURCE_VERSION%%-*}" ] ||
	die "the series is based on linux-source-6.12 $LINUX_SOURCE_VERSION (scripts/lib.sh), $TREE on Linux $base: run make deps, then move $TREE away (make export first if it holds work) and run make tree"
apply_series
