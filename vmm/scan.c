// SPDX-License-Identifier: GPL-2.0-only
/*
 * The confidentiality scan: read every page of guest memory that the host
 * can read, and count those that hold the guest's secret.  For a protected
 * VM, guest_memfd raises SIGBUS on a private page, which the scan counts
 * as unreadable.  The VM has stopped, but its memory is still donated.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "secret.h"
#include "vmm.h"

static sigjmp_buf unreadable;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(unreadable, 1);
}

uint64_t scan_for_secret(struct vm *vm, uint64_t *readable_pages)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	long page = sysconf(_SC_PAGESIZE);
	static char copy[1 << 16];
	volatile uint64_t off, found = 0, readable = 0;

	sigaction(SIGBUS, &sa, &old);
	for (off = 0; off < vm->ram_size; off += page) {
		if (sigsetjmp(unreadable, 1))
			continue;
		/* One read of the page, then the search in the copy. */
		memcpy(copy, vm->ram + off, page);
		readable++;
		if (memmem(copy, page, SECRET, SECRET_LEN))
			found++;
	}
	sigaction(SIGBUS, &old, NULL);
	*readable_pages = readable;
	return found;
}
