// SPDX-License-Identifier: GPL-2.0-only
/*
 * An 8250 (16550A) UART for the guest's console: what the guest sends goes
 * to standard output; it never receives anything.  The transmitter is
 * always empty, so its interrupt is pending whenever the guest enables it.
 */
#include <stdio.h>
#include <string.h>

#include "vmm.h"

/* Registers, by offset (reg-shift 0), and the bits this UART uses. */
#define UART_RX		0	/* and TX, and DLL with DLAB */
#define UART_IER	1	/* and DLM with DLAB */
#define UART_IIR	2	/* FCR when written */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_IER_THRI	0x02
#define UART_IIR_NO_INT	0x01
#define UART_IIR_THRI	0x02
#define UART_IIR_FIFO	0xc0
#define UART_FCR_ENABLE	0x01
#define UART_LCR_DLAB	0x80
#define UART_LSR_TEMT	0x40
#define UART_LSR_THRE	0x20
#define UART_MSR_IDLE	0xb0	/* DCD, DSR and CTS */

/* The line that the kernel prints when it starts init. */
#define INIT_LINE	"Run /init as init process"

static struct {
	pthread_mutex_t lock;
	uint8_t ier, fcr, lcr, mcr, scr, dll, dlm;
	char line[256];
	size_t len;
	double init_seen;
} uart = { .lock = PTHREAD_MUTEX_INITIALIZER };

double uart_init_seen(void)
{
	return uart.init_seen;
}

static void put_char(char c)
{
	if (c == '\r')
		return;
	if (c != '\n' && uart.len < sizeof(uart.line) - 1) {
		uart.line[uart.len++] = c;
		return;
	}
	uart.line[uart.len] = 0;
	if (!uart.init_seen && strstr(uart.line, INIT_LINE))
		uart.init_seen = now();
	printf("%s%s", uart.line, c == '\n' ? "\n" : "");
	uart.len = 0;
	if (c != '\n')
		uart.line[uart.len++] = c;
}

static uint8_t uart_read(int reg)
{
	bool dlab = uart.lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RX:
		return dlab ? uart.dll : 0;
	case UART_IER:
		return dlab ? uart.dlm : uart.ier;
	case UART_IIR:
		return (uart.fcr & UART_FCR_ENABLE ? UART_IIR_FIFO : 0) |
		       (uart.ier & UART_IER_THRI ? UART_IIR_THRI : UART_IIR_NO_INT);
	case UART_LCR:
		return uart.lcr;
	case UART_MCR:
		return uart.mcr;
	case UART_LSR:
		return UART_LSR_TEMT | UART_LSR_THRE;
	case UART_MSR:
		return UART_MSR_IDLE;
	default:
		return uart.scr;
	}
}

static void uart_write(struct vm *vm, int reg, uint8_t val)
{
	bool dlab = uart.lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RX:
		if (dlab)
			uart.dll = val;
		else
			put_char(val);
		break;
	case UART_IER:
		if (dlab) {
			uart.dlm = val;
			break;
		}
		uart.ier = val & 0x0f;
		vm_irq_line(vm, UART_SPI, !!(uart.ier & UART_IER_THRI));
		break;
	case UART_IIR:
		uart.fcr = val;
		break;
	case UART_LCR:
		uart.lcr = val;
		break;
	case UART_MCR:
		uart.mcr = val;
		break;
	case UART_SCR:
		uart.scr = val;
		break;
	}
}

void uart_mmio(struct vm *vm, uint64_t offset, uint8_t *data, int len, bool write)
{
	pthread_mutex_lock(&uart.lock);
	if (offset > UART_SCR) {
		if (!write)
			memset(data, 0, len);
	} else if (write) {
		uart_write(vm, offset, data[0]);
	} else {
		memset(data, 0, len);
		data[0] = uart_read(offset);
	}
	pthread_mutex_unlock(&uart.lock);
}
