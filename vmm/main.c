// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm: boot a Linux guest on arm64 KVM, as a pKVM protected VM where the
 * host supports it, with all its RAM in one guest_memfd.
 *
 * main.c reads the options, runs the guest, and reports what a user of
 * protected VMs wants to know: how long the guest took to reach init, how
 * much memory it shared with the host and how much EL2 donated to it, and
 * whether the host can find the secret that the guest wrote over its
 * memory in any memory the host can read.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmm.h"

/* Exit statuses, beyond the guest's 0 (powered off) and 1 (failed). */
#define EXIT_USAGE	2
#define EXIT_LEAK	3

static const char usage[] =
	"usage: vmm --kernel Image [--initrd FILE] [--cmdline STRING] [--mem SIZE]\n"
	"           [--cpus N] [--protected|--no-protected] [--disk FILE]\n"
	"\n"
	"Boots an arm64 Linux Image in a VM whose RAM (--mem, default 256M; K, M\n"
	"or G suffixes) is one guest_memfd, with N vCPUs (default 1), an 8250\n"
	"console and, with --disk, a virtio-blk disk over FILE.  The VM is a\n"
	"pKVM protected VM by default when the host supports them.  Exits with\n"
	"0 when the guest powers off, 1 when it resets or fails, 2 for bad\n"
	"options, 3 when the host could read a protected guest's secret.\n";

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "vmm: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(EXIT_USAGE);
}

/* Parse a size with an optional K, M or G suffix; 0 on a bad size. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return 0;
	switch (*end) {
	case 'G': case 'g': shift = 30; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'K': case 'k': shift = 10; end++; break;
	}
	if (*end || v > (UINT64_MAX >> shift))
		return 0;
	return (uint64_t)v << shift;
}

static void parse_options(struct vm *vm, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "mem", required_argument, NULL, 'm' },
		{ "cpus", required_argument, NULL, 'n' },
		{ "protected", no_argument, NULL, 'p' },
		{ "no-protected", no_argument, NULL, 'P' },
		{ "disk", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	long page = sysconf(_SC_PAGESIZE);
	char *end;
	int c;

	vm->cmdline = "console=ttyS0 earlycon panic=-1";
	vm->ram_size = 256UL << 20;
	vm->nr_vcpus = 1;
	vm->protected = -1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k': vm->kernel_path = optarg; break;
		case 'i': vm->initrd_path = optarg; break;
		case 'c': vm->cmdline = optarg; break;
		case 'd': vm->disk_path = optarg; break;
		case 'p': vm->protected = 1; break;
		case 'P': vm->protected = 0; break;
		case 'm':
			vm->ram_size = parse_size(optarg);
			if (!vm->ram_size || vm->ram_size % page)
				die("--mem %s: not a non-zero multiple of the %ld-byte page size",
				    optarg, page);
			break;
		case 'n':
			errno = 0;
			vm->nr_vcpus = strtol(optarg, &end, 0);
			if (errno || *end || vm->nr_vcpus < 1)
				die("--cpus %s: not a positive number", optarg);
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fputs(usage, stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind < argc)
		die("unexpected argument '%s' (see --help)", argv[optind]);
	if (!vm->kernel_path)
		die("no kernel: --kernel Image is required (see --help)");
}

bool vm_stopping(struct vm *vm)
{
	return __atomic_load_n(&vm->stopping, __ATOMIC_ACQUIRE);
}

void vm_stop(struct vm *vm, int status, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&vm->lock);
	if (!vm->stopping) {
		vm->exit_status = status;
		va_start(ap, fmt);
		vsnprintf(vm->exit_reason, sizeof(vm->exit_reason), fmt, ap);
		va_end(ap);
		__atomic_store_n(&vm->stopping, true, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&vm->lock);
}

/* What KVM counted of the guest's memory: shares, and EL2's donations. */
static void report_memory(struct vm *vm)
{
	static const char *const names[] = {
		"guest_shares", "guest_unshares", "guest_relinquishes",
		"guest_pages_donated",
	};
	uint64_t v[4];

	if (!vm->protected) {
		printf("vmm: not protected: the guest's memory stays the host's, shared\n");
		return;
	}
	if (kvm_stats(vm->vm_fd, names, v, 4)) {
		printf("vmm: this kernel doesn't count the guest's memory requests\n");
		return;
	}
	printf("vmm: the guest shared %llu pages with the host (MEM_SHARE), took back %llu (MEM_UNSHARE), relinquished %llu\n",
	       (unsigned long long)v[0], (unsigned long long)v[1],
	       (unsigned long long)v[2]);
	printf("vmm: EL2 donated %llu pages (%llu MiB) of guest_memfd to the guest\n",
	       (unsigned long long)v[3], (unsigned long long)(v[3] >> 8));
}

int main(int argc, char **argv)
{
	struct vm vm = { .lock = PTHREAD_MUTEX_INITIALIZER };
	uint64_t found, readable, pages;
	double init;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_options(&vm, argc, argv);
	guest_access_init();
	vm_create(&vm);
	load_guest(&vm);
	if (vm.disk_path)
		virtio_blk_init(&vm);
	printf("vmm: %s VM, %d vCPU%s, %llu MiB of RAM in one guest_memfd at 0x%lx\n",
	       vm.protected ? "protected" : "non-protected", vm.nr_vcpus,
	       vm.nr_vcpus > 1 ? "s" : "",
	       (unsigned long long)(vm.ram_size >> 20), RAM_BASE);
	printf("vmm: kernel at 0x%llx, initrd at 0x%llx (%llu KiB), device tree at 0x%llx, DMA pool at 0x%llx (%lu KiB)\n",
	       (unsigned long long)vm.kernel_gpa, (unsigned long long)vm.initrd_gpa,
	       (unsigned long long)(vm.initrd_size >> 10),
	       (unsigned long long)vm.dtb_gpa, (unsigned long long)vm.pool_gpa,
	       DMA_POOL_SIZE >> 10);

	vm.start_time = now();
	vm_run(&vm);
	printf("vmm: %s after %.1f s\n", vm.exit_reason, now() - vm.start_time);
	init = uart_init_seen();
	if (init)
		printf("vmm: the guest's kernel started init %.1f s after the first KVM_RUN\n",
		       init - vm.start_time);

	report_memory(&vm);
	pages = vm.ram_size / sysconf(_SC_PAGESIZE);
	found = scan_for_secret(&vm, &readable);
	printf("vmm: confidentiality scan: the host can read %llu of the %llu pages of guest memory; the guest's secret is in %llu of them\n",
	       (unsigned long long)readable, (unsigned long long)pages,
	       (unsigned long long)found);
	if (vm.protected && found) {
		printf("vmm: verdict: FAIL, the host read a protected guest's secret\n");
		return EXIT_LEAK;
	}
	if (vm.protected)
		printf("vmm: verdict: the secret appears nowhere the host can read\n");
	else
		printf("vmm: verdict: not protected, so the host reads the guest's secret%s\n",
		       found ? "" : " (but the guest wrote none)");
	return vm.exit_status;
}
