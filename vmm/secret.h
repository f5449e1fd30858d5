/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The secret that the guest's init writes over its memory, and that the
 * VMM looks for in all the memory it can read.  The guest's init holds it
 * in ROT13 only and decodes it at run time, so that the secret itself is
 * nowhere in what the VMM loads into the guest.
 */
#ifndef VMM_SECRET_H
#define VMM_SECRET_H

#define SECRET		"pKVM protected guest secret 7f3a"
#define SECRET_ROT13	"cXIZ cebgrpgrq thrfg frperg 7s3n"
#define SECRET_LEN	32

#endif
