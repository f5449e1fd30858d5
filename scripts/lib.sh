# shellcheck shell=bash disable=SC2034  # variables for the scripts that source it
# Common helpers sourced by the harness scripts.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TREE=$BUILD/linux
SERIES=$TOP/series
LINUX_TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
# The Debian package the series is based on.  Debian updates linux-source-6.12
# with each stable release, and a new base can make the series not apply: the
# series moves to a new base on purpose, by changing this and rebasing it.
LINUX_SOURCE_VERSION=6.12.118-1~deb12u1

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# kernel ARCH name -> cross compiler prefix ("" when building natively).
cross_compile() {
	case $1 in
	arm64) [ "$(uname -m)" = aarch64 ] || echo aarch64-linux-gnu- ;;
	x86_64) [ "$(uname -m)" = x86_64 ] || echo x86_64-linux-gnu- ;;
	*) die "unknown arch '$1' (arm64 or x86_64)" ;;
	esac
}

# Image file a kernel build produces, relative to its O= folder.
kernel_image() {
	case $1 in
	arm64) echo arch/arm64/boot/Image ;;
	x86_64) echo arch/x86/boot/bzImage ;;
	esac
}

# O= folder of the kernel of ARCH: the one with debug options that the tests
# and the demonstration run, or with FLAVOUR "bench" the one without them
# that the benchmarks run (lockdep and friends would skew their figures).
kernel_out() { echo "$BUILD/kernel-$1${2:+-$2}"; }

# The kernel FLAVOUR (see kernel_out) that boots for plan PLAN.
plan_flavour() {
	if [ "$1" = bench ]; then echo bench; fi
}
