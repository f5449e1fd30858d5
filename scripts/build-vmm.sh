#!/usr/bin/env bash
# Build vmm/ for ARCH (arm64 only, where the VMM runs protected VMs) into
# build/vmm-ARCH: bin/vmm and bin/vmm_test, which the initramfs puts in
# /bin, and guest/Image (the kernel of ARCH, booted again as the guest) and
# guest/initrd.cpio (with vmm/guest/init.c as its init), in /guest.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: build-vmm.sh ARCH}
[ "$arch" = arm64 ] || { log "vmm: nothing to build for $arch"; exit 0; }
out=$BUILD/vmm-$arch
kout=$(kernel_out "$arch")
cc=(
	"$(cross_compile "$arch")gcc" -static -O2 -Wall -Werror
	-isystem "$kout/usr/include"
)

mkdir -p "$out/bin" "$out/guest"
"${cc[@]}" -o "$out/bin/vmm" "$TOP"/vmm/*.c -lfdt -lpthread
"${cc[@]}" -o "$out/bin/vmm_test" "$TOP/vmm/test/vmm_test.c"
"${cc[@]}" -o "$out/guest/init" "$TOP/vmm/guest/init.c"
cp "$kout/$(kernel_image "$arch")" "$out/guest/Image"
"$kout/usr/gen_init_cpio" - >"$out/guest/initrd.cpio" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
file /init $out/guest/init 0755 0 0
LIST
log "vmm: $out"
