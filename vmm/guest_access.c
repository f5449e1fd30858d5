// SPDX-License-Identifier: GPL-2.0-only
/*
 * Accesses to guest memory that may find a private page: guest_memfd
 * raises SIGBUS for those, which would kill the VMM.  guest_access() runs
 * such an access and reports the SIGBUS instead, per thread.
 */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "vmm.h"

static __thread sigjmp_buf *armed;

static void on_sigbus(int sig)
{
	static const char msg[] = "vmm: SIGBUS outside a guest memory access\n";

	if (armed)
		siglongjmp(*armed, 1);
	write(2, msg, sizeof(msg) - 1);
	_exit(1);
}

void guest_access_init(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus, .sa_flags = SA_NODEFER };

	sigaction(SIGBUS, &sa, NULL);
}

int guest_access(void (*fn)(void *), void *arg)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 1)) {
		armed = NULL;
		return -1;
	}
	armed = &jb;
	fn(arg);
	armed = NULL;
	return 0;
}
