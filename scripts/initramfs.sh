#!/usr/bin/env bash
# Pack build/initramfs-ARCH.cpio: the static init, the plans for ARCH and the
# programs they name (from build/selftests-ARCH, or build/vmm-ARCH), and the
# VMM with its guest where build-vmm.sh built them.  Nothing of the host's root
# file system goes in.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: initramfs.sh ARCH PLAN...}
shift
out=$BUILD/initramfs-$arch
tests=$BUILD/selftests-$arch
vmm=$BUILD/vmm-$arch
gen_init_cpio=$(kernel_out "$arch")/usr/gen_init_cpio
[ -x "$gen_init_cpio" ] || die "$gen_init_cpio missing: build the $arch kernel first"

mkdir -p "$out/plans"
"$(cross_compile "$arch")gcc" -static -O2 -Wall -Werror -o "$out/init" "$TOP"/init/*.c

for plan in "$@"; do
	"$TOP/scripts/plan.sh" "$plan" "$arch" >"$out/plans/$plan"
done
mapfile -t progs < <(for plan in "$@"; do "$TOP/scripts/plan.sh" -p "$plan" "$arch"; done | sort -u)

{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "dir /proc 0755 0 0"
	echo "dir /sys 0755 0 0"
	echo "dir /tmp 1777 0 0"
	echo "dir /bin 0755 0 0"
	echo "dir /plans 0755 0 0"
	echo "file /init $out/init 0755 0 0"
	for plan in "$@"; do
		echo "file /plans/$plan $out/plans/$plan 0644 0 0"
	done
	for prog in "${progs[@]}"; do
		[ "$(dirname "$prog")" = . ] || echo "dir /bin/$(dirname "$prog") 0755 0 0"
		if [ -f "$vmm/bin/$prog" ]; then
			echo "file /bin/$prog $vmm/bin/$prog 0755 0 0"
		else
			echo "file /bin/$prog $tests/$prog 0755 0 0"
		fi
	done
	# The VMM and the guest it boots (build-vmm.sh), where built.
	if [ -d "$vmm" ]; then
		echo "file /bin/vmm $vmm/bin/vmm 0755 0 0"
		echo "dir /guest 0755 0 0"
		for f in "$vmm"/guest/Image "$vmm"/guest/initrd.cpio; do
			echo "file /guest/$(basename "$f") $f 0644 0 0"
		done
	fi
} | awk '!seen[$0]++' >"$out/list"
"$gen_init_cpio" "$out/list" >"$out.cpio"
log "initramfs: $out.cpio ($(du -h "$out.cpio" | cut -f1))"
