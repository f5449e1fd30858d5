#!/usr/bin/env bash
# Install the Debian 12 packages the harness needs that are missing: with
# apt-get when run as root, otherwise print the apt-get line to run.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

packages=(
	# the base kernel (the version the series is based on) and what
	# building it takes
	"linux-source-6.12=$LINUX_SOURCE_VERSION" make gcc libc6-dev bc bison flex libelf-dev libssl-dev
	cpio xz-utils git perl python3 rsync
	# checkpatch.pl's SPDX check
	python3-ply python3-git
	# arm64 cross compiler and static C library for the selftests
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	# the guests
	qemu-system-arm qemu-system-x86
	# lint of the harness itself
	shellcheck
	# the plots of make bench
	gnuplot-nox
)
# libfdt for the VMM (vmm/), which runs on arm64: Debian's arm64 package
# (multiarch) unless this machine is arm64.
if [ "$(dpkg --print-architecture)" = arm64 ]; then
	packages+=(libfdt-dev)
else
	packages+=(libfdt-dev:arm64)
fi

# PACKAGE, or PACKAGE=VERSION, is installed (in that version).
installed() {
	local name=${1%%=*} status
	status=$(dpkg-query -W -f='${Status} ${Version}' "$name" 2>/dev/null) || return 1
	[[ $status == "install ok installed "* ]] || return 1
	[ "$name" = "$1" ] || [ "${status#install ok installed }" = "${1#*=}" ]
}

missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0

if [ "$(id -u)" != 0 ]; then
	echo "missing packages; run as root:"
	[[ " ${missing[*]}" != *:arm64* ]] || echo "  dpkg --add-architecture arm64 && apt-get update"
	echo "  apt-get install --no-install-recommends ${missing[*]}"
	exit 1
fi
log "installing ${missing[*]}"
new_arch=
if [[ " ${missing[*]}" == *:arm64* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
	new_arch=1
fi
export DEBIAN_FRONTEND=noninteractive
# --allow-downgrades: the pinned base may be older than an installed
# linux-source-6.12.
apt_install() {
	apt-get install -y -q --no-install-recommends --allow-downgrades "${missing[@]}"
}
# A fresh machine has no package lists yet, older lists may not know the
# pinned base, and a new architecture has none: fetch them then.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit)" ] ||
	[ -n "$new_arch" ] || ! apt_install; then
	apt-get update -q
	apt_install ||
		die "apt-get failed; if linux-source-6.12=$LINUX_SOURCE_VERSION is no longer in the archive, rebase the series on the current package and update LINUX_SOURCE_VERSION in scripts/lib.sh"
fi
