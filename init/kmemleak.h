/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef INIT_KMEMLEAK_H
#define INIT_KMEMLEAK_H

#include <stdbool.h>

/* Whether the kernel has kmemleak (the check kernels). */
bool kmemleak_present(void);

/*
 * Scans for leaks and prints every one whose allocation backtrace is KVM's;
 * returns how many there are, or -1 if kmemleak can't be read.
 */
int kmemleak_check(void);

#endif /* INIT_KMEMLEAK_H */
