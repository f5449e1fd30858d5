// SPDX-License-Identifier: GPL-2.0-only
/*
 * init of the guest that vmm boots: it says where it runs, checks the
 * virtio disk both ways (reads the pattern that the host wrote in its first
 * 64 KiB, writes the complement into the next 64 KiB), writes a secret over
 * half of its free memory, and powers off while holding it, for the VMM's
 * confidentiality scan.  A failure reboots instead: the VMM's exit status
 * tells the two apart.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../secret.h"

#define DISK		"/dev/vda"
#define CHUNK		(64 << 10)

/* The byte at @i of the pattern that the host writes on the disk. */
#define PATTERN(i)	((unsigned char)((i) * 131 + 7))

static void say(const char *fmt, ...)
{
	va_list ap;

	printf("guest-init: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void __attribute__((noreturn)) fail(const char *fmt, ...)
{
	va_list ap;

	printf("guest-init: FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	reboot(RB_AUTOBOOT);
	exit(1);
}

static long meminfo(const char *key)
{
	char line[128];
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			val = atol(line + strlen(key) + 1);
	if (f)
		fclose(f);
	return val;
}

static void check_disk(void)
{
	unsigned char *buf = malloc(2 * CHUNK);
	int fd = open(DISK, O_RDWR);

	if (fd < 0) {
		say("no disk (%s: %s)", DISK, strerror(errno));
		return;
	}
	if (!buf || pread(fd, buf, CHUNK, 0) != CHUNK)
		fail("reading %s: %s", DISK, strerror(errno));
	for (int i = 0; i < CHUNK; i++)
		if (buf[i] != PATTERN(i))
			fail("disk byte %d is %#x, not the host's %#x", i, buf[i], PATTERN(i));
	say("disk: read the host's %d-byte pattern through virtio-blk", CHUNK);
	for (int i = 0; i < CHUNK; i++)
		buf[CHUNK + i] = ~buf[i];
	if (pwrite(fd, buf + CHUNK, CHUNK, CHUNK) != CHUNK || fsync(fd))
		fail("writing %s: %s", DISK, strerror(errno));
	say("disk: wrote its complement after it");
	close(fd);
	free(buf);
}

/* Fill half of the free memory with the secret, and keep it. */
static void write_secret(void)
{
	static char rot13[] = SECRET_ROT13;
	char secret[SECRET_LEN];
	size_t size = (size_t)meminfo("MemAvailable:") * 1024 / 2;
	char *mem;

	for (int i = 0; i < SECRET_LEN; i++) {
		char c = ((volatile char *)rot13)[i];

		if (c >= 'a' && c <= 'z')
			c = 'a' + (c - 'a' + 13) % 26;
		else if (c >= 'A' && c <= 'Z')
			c = 'A' + (c - 'A' + 13) % 26;
		secret[i] = c;
	}
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		fail("mmap of %zu bytes: %s", size, strerror(errno));
	for (size_t off = 0; off + SECRET_LEN <= size; off += SECRET_LEN)
		memcpy(mem + off, secret, SECRET_LEN);
	memset(secret, 0, sizeof(secret));
	say("wrote a secret over %zu MiB of memory, and keeps it", size >> 20);
}

int main(void)
{
	mkdir("/proc", 0755);
	mkdir("/dev", 0755);
	if (mount("proc", "/proc", "proc", 0, NULL) ||
	    (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) && errno != EBUSY))
		fail("mounting /proc and /dev: %s", strerror(errno));
	say("running, %ld CPUs online, %ld MiB of RAM", sysconf(_SC_NPROCESSORS_ONLN),
	    meminfo("MemTotal:") >> 10);
	check_disk();
	write_secret();
	say("powering off");
	sync();
	reboot(RB_POWER_OFF);
	fail("reboot(RB_POWER_OFF): %s", strerror(errno));
}
