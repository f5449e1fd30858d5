#!/usr/bin/env bash
# Boot the kernel of BOOT (arm64-pkvm, arm64-nvhe or x86_64) under QEMU with
# its initramfs, let init run PLAN, and keep the serial console in
# build/logs/BOOT-PLAN.log.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

boot=${1:?usage: boot.sh BOOT PLAN}
plan=${2:?usage: boot.sh BOOT PLAN}
arch=${boot%%-*}
log=$BUILD/logs/$boot-$plan.log
cmdline="plan=$plan panic=-1 oops=panic"

case $boot in
arm64-pkvm) cmdline+=" console=ttyAMA0 kvm-arm.mode=protected" ;;
arm64-nvhe) cmdline+=" console=ttyAMA0 kvm-arm.mode=nvhe" ;;
x86_64) cmdline+=" console=ttyS0" ;;
*) die "unknown boot '$boot' (arm64-pkvm, arm64-nvhe or x86_64)" ;;
esac
case $arch in
arm64)
	# pauth-impdef: TCG's default QARMA pointer authentication is slow.
	qemu=(qemu-system-aarch64 -M "virt,virtualization=on,gic-version=3"
		-cpu "max,pauth-impdef=on")
	;;
x86_64)
	# One TCG thread for both vCPUs: with multi-threaded TCG, the int3
	# that x86 text patching leaves briefly in code another vCPU runs
	# was seen to oops the boot ("Oops: int3" in sched_clock_cpu).
	qemu=(qemu-system-x86_64 -M q35 -cpu max -accel "tcg,thread=single")
	;;
esac

# The boot may take the sum of the plan's timeouts plus 5 minutes; a console
# silent for longer than the longest test timeout plus a minute means a hung
# kernel (init reports its own timeouts), so the boot is stopped early.
timeouts=$("$TOP/scripts/plan.sh" "$plan" "$arch" | awk '{ print $1 }')
limit=$(($(echo "$timeouts" | awk '{ s += $1 } END { print s + 0 }') + 300))
idle_limit=$(($(echo "$timeouts" | sort -n | tail -n 1) + 60))
raw=$log.raw
mkdir -p "$(dirname "$log")"
: >"$raw"
log "booting $boot for plan '$plan' (timeout ${limit}s), console in $log"
"${qemu[@]}" -smp 2 -m 2G -display none -monitor none -no-reboot \
	-serial "file:$raw" \
	-kernel "$(kernel_out "$arch" "$(plan_flavour "$plan")")/$(kernel_image "$arch")" \
	-initrd "$BUILD/initramfs-$arch.cpio" -append "$cmdline" </dev/null &
qemu_pid=$!
tail -n +1 -f --pid="$qemu_pid" "$raw" | sed -u 's/\r$//' |
	grep --line-buffered -E '^(not )?ok |^# (init|all tests)' &

start=$(date +%s)
stopped=
while kill -0 "$qemu_pid" 2>/dev/null; do
	sleep 5
	now=$(date +%s)
	if [ $((now - start)) -gt "$limit" ]; then
		stopped="timed out after ${limit}s"
	elif [ $((now - $(stat -c %Y "$raw"))) -gt "$idle_limit" ]; then
		stopped="console silent for more than ${idle_limit}s: kernel hung"
	fi
	[ -z "$stopped" ] || { kill "$qemu_pid"; break; }
done
wait "$qemu_pid" || true
wait
# The verdict is read from the log; a stopped boot is noted there.
{
	tr -d '\r' <"$raw"
	[ -z "$stopped" ] || echo "# boot: $stopped"
} >"$log"
rm -f "$raw"
[ -z "$stopped" ] || log "$boot: $stopped"
