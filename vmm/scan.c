// SPDX-License-Identifier: GPL-2.0-only
/*
 * The confidentiality scan: read every page of guest memory that the host
 * can read, and count those that hold the guest's secret.  For a protected
 * VM, guest_memfd raises SIGBUS on a private page, which the scan counts
 * as unreadable.  The VM has stopped, but its memory is still donated.
 */
#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>

#include "secret.h"
#include "vmm.h"

struct page_read {
	const uint8_t *page;
	long size;
	bool secret;
};

static void read_page(void *arg)
{
	struct page_read *r = arg;
	static char copy[1 << 16];

	/* One read of the page, then the search in the copy. */
	memcpy(copy, r->page, r->size);
	r->secret = memmem(copy, r->size, SECRET, SECRET_LEN) != NULL;
}

uint64_t scan_for_secret(struct vm *vm, uint64_t *readable_pages)
{
	struct page_read r = { .size = sysconf(_SC_PAGESIZE) };
	uint64_t off, found = 0, readable = 0;

	for (off = 0; off < vm->ram_size; off += r.size) {
		r.page = vm->ram + off;
		if (guest_access(read_page, &r))
			continue;
		readable++;
		found += r.secret;
	}
	*readable_pages = readable;
	return found;
}
