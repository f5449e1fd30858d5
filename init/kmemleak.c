// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kmemleak check that init runs after the plan: the tests are over and
 * their VMs gone, so an object that KVM allocated and nothing points to any
 * more is a leak of the series (or of KVM).  Leaks of the rest of the
 * kernel are counted but not blamed on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmemleak.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define RECORD_START	"unreferenced object"
#define BACKTRACE	"backtrace"
/* kmemleak reports only objects older than this many seconds. */
#define MIN_AGE		5

bool kmemleak_present(void)
{
	return !access(KMEMLEAK, W_OK);
}

/* Returns 0, or -1 if kmemleak refused (it turns itself off on errors). */
static int kmemleak_scan(void)
{
	FILE *f = fopen(KMEMLEAK, "w");

	if (!f)
		return -1;
	fputs("scan", f);
	return fclose(f) ? -1 : 0;
}

/* Reads all of @f into a string, which the caller frees; NULL on error. */
static char *read_all(FILE *f)
{
	size_t len = 0, size = 1 << 16, n;
	char *buf = malloc(size), *bigger;

	while (buf && (n = fread(buf + len, 1, size - len - 1, f)) > 0) {
		len += n;
		if (len + 1 < size)
			continue;
		size *= 2;
		bigger = realloc(buf, size);
		if (!bigger)
			free(buf);
		buf = bigger;
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

/*
 * Whether the leak @rec (a string) was allocated by KVM: a function of its
 * backtrace is KVM's (kvm_*, pkvm_*, __kvm_*, ...).  Its other lines (the
 * task's name, the object's bytes) don't count.
 */
static bool from_kvm(const char *rec)
{
	const char *bt = strstr(rec, BACKTRACE);

	return bt && strstr(bt, "kvm");
}

/* Prints @len bytes of @text, each line indented like a test's output. */
static void print_indented(const char *text, size_t len)
{
	const char *end = text + len, *nl;

	for (; text < end; text = nl + 1) {
		nl = memchr(text, '\n', end - text);
		if (!nl)
			nl = end;
		printf("    %.*s\n", (int)(nl - text), text);
	}
}

int kmemleak_check(void)
{
	int kvm = 0, other = 0;
	char *all, *rec, *next, saved;
	size_t len;
	FILE *f;

	/* Twice, as Documentation/dev-tools/kmemleak.rst advises. */
	sleep(MIN_AGE + 1);
	if (kmemleak_scan() || kmemleak_scan())
		return -1;

	f = fopen(KMEMLEAK, "r");
	if (!f)
		return -1;
	all = read_all(f);
	fclose(f);
	if (!all)
		return -1;

	for (rec = strstr(all, RECORD_START); rec; rec = next) {
		next = strstr(rec + 1, RECORD_START);
		len = next ? (size_t)(next - rec) : strlen(rec);
		saved = rec[len];

		rec[len] = '\0';
		if (from_kvm(rec)) {
			print_indented(rec, len);
			kvm++;
		} else {
			other++;
		}
		rec[len] = saved;
	}
	printf("    kmemleak: %d leaks from KVM, %d from the rest of the kernel\n",
	       kvm, other);
	fflush(stdout);
	free(all);
	return kvm;
}
