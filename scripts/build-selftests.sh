#!/usr/bin/env bash
# Build, statically linked for ARCH, the KVM selftests that the plans name,
# plus the demonstration program in demo/, into build/selftests-ARCH.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: build-selftests.sh ARCH PLAN...}
shift
out=$BUILD/selftests-$arch
kdir=$TREE/tools/testing/selftests/kvm

# Programs that build-vmm.sh built (the VMM's tests) aren't selftests.
mapfile -t progs < <(for plan in "$@"; do "$TOP/scripts/plan.sh" -p "$plan" "$arch"; done |
	sort -u | while read -r prog; do
		[ -f "$BUILD/vmm-$arch/bin/$prog" ] || echo "$prog"
	done)
[ "${#progs[@]}" -gt 0 ] || { log "no selftests to build for $arch"; exit 0; }

log "building ${#progs[@]} $arch selftests in $out"
mkdir -p "$out/tools"
LDFLAGS=-static make -C "$kdir" -f Makefile -f "$TOP/demo/demo.mk" -s -j"$(nproc)" \
	ARCH="$arch" CROSS_COMPILE="$(cross_compile "$arch")" \
	OUTPUT="$out" abs_objdir="$out" DEMO_DIR="$TOP/demo" \
	KHDR_INCLUDES="-isystem $(kernel_out "$arch")/usr/include" \
	"${progs[@]/#/$out/}"
