// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmm_test: the tests of vmm, run inside the host.
 *
 *   vmm_test boot protected|shared
 *	boots the guest (/guest/Image, /guest/initrd.cpio) with 2 vCPUs and a
 *	virtio disk, as a protected VM or a non-protected guest_memfd VM, and
 *	checks the guest's init output, the data that crossed the disk both
 *	ways, the VMM's exit status, memory counts and confidentiality scan:
 *	the secret is nowhere the host can read in a protected VM, and found
 *	where the guest wrote it in the other.
 *   vmm_test bad-input
 *	gives vmm bad options and files, and checks that each gets a clear
 *	message and exit status 2, without hanging; and boots a guest whose
 *	kernel panics, which must end vmm with status 1.
 *
 * Exits 0 if every check passed, 1 otherwise, 4 (skip) for "boot protected"
 * on a host without protected VMs, once vmm refused it as it must.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#define VMM		"/bin/vmm"
#define KERNEL		"/guest/Image"
#define INITRD		"/guest/initrd.cpio"
#define DISK		"/tmp/vmm-disk.img"
#define CHUNK		(64 << 10)
#define PATTERN(i)	((unsigned char)((i) * 131 + 7))
#define KSFT_SKIP	4

#define BOOT_TIMEOUT	540
#define BAD_TIMEOUT	60

static int failures;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("# %s: ", ok ? "ok" : "FAILED");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures += !ok;
}

/*
 * Run vmm with @argv, its output (stdout and stderr) in @out, echoed when
 * @echo; returns its exit status, or -1 if it had to be killed.
 */
static int run_vmm(char *const argv[], char *out, size_t size, int timeout, int echo)
{
	int pipefd[2], status;
	size_t len = 0;
	time_t end = time(NULL) + timeout;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		execv(VMM, argv);
		perror("execv " VMM);
		_exit(127);
	}
	close(pipefd[1]);
	for (;;) {
		struct pollfd p = { .fd = pipefd[0], .events = POLLIN };
		char buf[4096];
		ssize_t n;

		if (time(NULL) >= end) {
			kill(pid, SIGKILL);
			check(0, "vmm still ran after %d s: killed", timeout);
			break;
		}
		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = read(pipefd[0], buf, sizeof(buf));
		if (n <= 0)
			break;
		if (echo)
			fwrite(buf, 1, n, stdout);
		if (len + n < size) {
			memcpy(out + len, buf, n);
			len += n;
		}
	}
	fflush(stdout);
	out[len] = 0;
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The number after @key in @out, or -1. */
static long long number_after(const char *out, const char *key)
{
	const char *p = strstr(out, key);

	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

static int host_has_protected_vms(void)
{
	int fd = open("/dev/kvm", O_RDWR), ret;

	if (fd < 0)
		return 0;
	ret = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PROTECTED_VM);
	close(fd);
	return ret > 0;
}

static void make_disk(void)
{
	static unsigned char buf[4 * CHUNK];
	int fd = open(DISK, O_RDWR | O_CREAT | O_TRUNC, 0600);

	for (int i = 0; i < CHUNK; i++)
		buf[i] = PATTERN(i);
	if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf) || close(fd)) {
		perror(DISK);
		exit(1);
	}
}

static int disk_has_complement(void)
{
	static unsigned char buf[CHUNK];
	int fd = open(DISK, O_RDONLY);

	if (fd < 0 || pread(fd, buf, CHUNK, CHUNK) != CHUNK)
		return 0;
	close(fd);
	for (int i = 0; i < CHUNK; i++)
		if (buf[i] != (unsigned char)~PATTERN(i))
			return 0;
	return 1;
}

static int boot(int protected)
{
	char *argv[] = {
		VMM, "--kernel", KERNEL, "--initrd", INITRD, "--mem", "256M",
		"--cpus", "2", "--disk", DISK,
		protected ? "--protected" : "--no-protected", NULL
	};
	static char out[1 << 20];
	const char *scan;
	long long secret_mib, readable, pages, found, shared, donated;
	int status;

	if (protected && !host_has_protected_vms()) {
		status = run_vmm(argv, out, sizeof(out), BAD_TIMEOUT, 1);
		check(status == 2 && strstr(out, "doesn't run protected VMs"),
		      "without protected VMs, vmm --protected exits 2 with a clear message (exit %d)",
		      status);
		return failures ? 1 : KSFT_SKIP;
	}

	make_disk();
	status = run_vmm(argv, out, sizeof(out), BOOT_TIMEOUT, 1);
	check(status == 0, "vmm exits 0 when the guest powers off (exit %d)", status);
	check(strstr(out, "guest-init: running, 2 CPUs online") != NULL,
	      "the guest's init runs, with both vCPUs online");
	check(number_after(out, "started init ") >= 0,
	      "vmm reports the guest's boot time to init");
	check(strstr(out, "guest-init: disk: read the host's 65536-byte pattern") != NULL,
	      "the guest read the host's data from the virtio disk");
	check(disk_has_complement(), "the host finds the data the guest wrote on the disk");

	secret_mib = number_after(out, "guest-init: wrote a secret over ");
	check(secret_mib >= 64, "the guest wrote its secret over %lld MiB", secret_mib);
	scan = strstr(out, "confidentiality scan: the host can read ");
	if (!scan || sscanf(scan, "confidentiality scan: the host can read %lld of the %lld pages of guest memory; the guest's secret is in %lld",
			    &readable, &pages, &found) != 3)
		readable = pages = found = -1;
	check(readable >= 0 && pages == (256 << 20) / 4096 && found >= 0,
	      "vmm scanned the guest's memory: %lld of %lld pages readable, secret in %lld",
	      readable, pages, found);
	if (protected) {
		shared = number_after(out, "the guest shared ");
		donated = number_after(out, "EL2 donated ");
		check(found == 0, "the secret is nowhere the host can read");
		check(readable < pages / 2, "most guest memory is private to the guest");
		check(shared >= (4 << 20) / 4096,
		      "the guest shared its 4 MiB DMA pool at least (%lld pages)", shared);
		check(donated * 4096 >= (secret_mib << 20),
		      "EL2 donated at least the memory the secret fills (%lld pages)", donated);
	} else {
		check(readable == pages, "the host can read all of a non-protected guest's memory");
		check(found * 4096 >= (secret_mib << 20) * 9 / 10,
		      "the scan finds the secret where the guest wrote it (%lld pages)", found);
	}
	return failures ? 1 : 0;
}

/* A guest whose kernel panics (no init) ends vmm with status 1 and says so. */
static void guest_crash(void)
{
	char *argv[] = {
		VMM, "--kernel", KERNEL, "--initrd", INITRD, "--mem", "128M",
		"--cmdline", "console=ttyS0 panic=-1 rdinit=/nonexistent", NULL
	};
	static char out[1 << 20];
	int status = run_vmm(argv, out, sizeof(out), BOOT_TIMEOUT, 0);

	check(status == 1 && strstr(out, "Kernel panic") &&
	      strstr(out, "vmm: the guest reset (PSCI SYSTEM_RESET): it rebooted or panicked"),
	      "a guest kernel panic ends vmm with exit 1 and a message (exit %d)", status);
}

struct bad_case {
	const char *what;
	const char *expect;
	char *argv[12];
};

static int bad_input(void)
{
	struct bad_case cases[] = {
		{ "no kernel", "no kernel", { VMM, NULL } },
		{ "missing kernel", "No such file", { VMM, "--kernel", "/nonexistent", NULL } },
		{ "kernel that isn't an arm64 Image", "not an arm64 Image",
		  { VMM, "--kernel", VMM, NULL } },
		{ "missing initrd", "initrd /nonexistent",
		  { VMM, "--kernel", KERNEL, "--initrd", "/nonexistent", NULL } },
		{ "missing disk", "--disk /nonexistent",
		  { VMM, "--kernel", KERNEL, "--disk", "/nonexistent", NULL } },
		{ "memory size not a page multiple", "multiple",
		  { VMM, "--kernel", KERNEL, "--mem", "1000001", NULL } },
		{ "memory too small for the guest", "too small",
		  { VMM, "--kernel", KERNEL, "--mem", "8M", NULL } },
		{ "memory larger than the guest address space", "doesn't fit",
		  { VMM, "--kernel", KERNEL, "--mem", "2000G", NULL } },
		{ "no vCPUs", "not a positive number",
		  { VMM, "--kernel", KERNEL, "--cpus", "0", NULL } },
		{ "more vCPUs than KVM allows", "at most",
		  { VMM, "--kernel", KERNEL, "--cpus", "100000", NULL } },
		{ "unknown option", "usage:", { VMM, "--frobnicate", NULL } },
		{ "protected VM on a host without them", "doesn't run protected VMs",
		  { VMM, "--kernel", KERNEL, "--protected", NULL } },
	};
	int n = sizeof(cases) / sizeof(cases[0]);
	static char out[1 << 16];

	if (host_has_protected_vms())
		n--;	/* the last case needs a host without protected VMs */
	for (int i = 0; i < n; i++) {
		int status = run_vmm(cases[i].argv, out, sizeof(out), BAD_TIMEOUT, 0);

		check(status == 2 && strstr(out, cases[i].expect),
		      "%s: exit %d, \"%.*s\"", cases[i].what, status,
		      (int)strcspn(out, "\n"), out);
	}
	guest_crash();
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "boot") &&
	    (!strcmp(argv[2], "protected") || !strcmp(argv[2], "shared")))
		return boot(!strcmp(argv[2], "protected"));
	if (argc == 2 && !strcmp(argv[1], "bad-input"))
		return bad_input();
	fprintf(stderr, "usage: vmm_test boot protected|shared | vmm_test bad-input\n");
	return 2;
}
