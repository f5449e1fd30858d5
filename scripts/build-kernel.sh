#!/usr/bin/env bash
# Build the kernel of build/linux for ARCH (arm64 or x86_64) in build/kernel-ARCH
# from allnoconfig plus the fragments in configs/, and install its UAPI headers
# there for the selftests.  With FLAVOUR "bench", build it without the debug
# fragments (debug.config, ARCH-debug.config) in build/kernel-ARCH-bench.
# Incremental: only what changed is rebuilt.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: build-kernel.sh arm64|x86_64 [bench]}
flavour=${2:-}
case $flavour in
'' | bench) ;;
*) die "unknown kernel flavour '$flavour' (none or bench)" ;;
esac
out=$(kernel_out "$arch" "$flavour")
fragments=("$TOP/configs/common.config" "$TOP/configs/$arch.config")
if [ "$flavour" != bench ]; then
	fragments+=("$TOP/configs/debug.config")
	[ ! -f "$TOP/configs/$arch-debug.config" ] || fragments+=("$TOP/configs/$arch-debug.config")
fi
kmake=(make -C "$TREE" O="$out" ARCH="$arch" CROSS_COMPILE="$(cross_compile "$arch")" -j"$(nproc)")

mkdir -p "$out"
"${kmake[@]}" -s allnoconfig
(cd "$out" && "$TREE/scripts/kconfig/merge_config.sh" -m -O "$out" .config "${fragments[@]}" >/dev/null)
"${kmake[@]}" -s olddefconfig

# Every option a fragment asks for must survive olddefconfig; a missing
# dependency otherwise silently drops it.  Options that no Kconfig of the
# tree defines yet (a patch of the series adds them) don't count: "make
# bisect" builds the patches before it.
defined() {
	grep -rqsx --include='Kconfig*' "config ${1#CONFIG_}" "$TREE"
}
missing=$(cat "${fragments[@]}" | grep -E '^CONFIG_[A-Z0-9_]+=' | while IFS= read -r want; do
	opt=${want%%=*}
	case $want in
	*=n) grep -qx "$opt=y" "$out/.config" && echo "$want" ;;
	*) grep -qx "$want" "$out/.config" || ! defined "$opt" || echo "$want" ;;
	esac
done || true)
[ -z "$missing" ] || die "$arch config lacks: $(echo "$missing" | tr '\n' ' ')"

log "building $arch kernel in $out"
"${kmake[@]}" -s "$(basename "$(kernel_image "$arch")")"
"${kmake[@]}" -s headers_install
log "$arch kernel: $out/$(kernel_image "$arch")"
