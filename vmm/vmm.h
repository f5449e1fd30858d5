/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmm: a small arm64 VMM that boots a Linux guest, protected (pKVM) or not,
 * with all its RAM in one guest_memfd.  See README.md in this folder.
 */
#ifndef VMM_H
#define VMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The guest's physical memory map.  The device MMIO regions sit below
 * 2 GiB, RAM starts at 2 GiB; the vGIC's redistributors take 128 KiB per
 * vCPU after the distributor.
 */
#define GIC_DIST_BASE		0x08000000UL
#define GIC_DIST_SIZE		0x10000UL
#define GIC_REDIST_BASE		0x080a0000UL
#define GIC_REDIST_SIZE		0x20000UL	/* per vCPU */
#define UART_BASE		0x09000000UL
#define UART_SIZE		0x1000UL
#define VIRTIO_BASE		0x0a000000UL
#define VIRTIO_SIZE		0x200UL
#define RAM_BASE		0x80000000UL

/* Interrupts: SPIs, numbered from 0 as the device tree has them. */
#define UART_SPI		1
#define VIRTIO_SPI		2

/* The restricted DMA pool that the virtio device's transfers go through. */
#define DMA_POOL_SIZE		(4UL << 20)

#define MAX_VCPUS		8

struct vm;

struct vcpu {
	struct vm *vm;
	int id;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	uint64_t mpidr;
};

struct vm {
	/* What the user asked for. */
	const char *kernel_path;
	const char *initrd_path;
	const char *cmdline;
	const char *disk_path;
	uint64_t ram_size;
	int nr_vcpus;
	int protected;		/* -1 until decided: protected if the host can */

	int kvm_fd;
	int vm_fd;
	int gmem_fd;
	int gic_fd;
	uint8_t *ram;		/* the guest_memfd, mmap()ed */
	size_t run_size;
	struct vcpu vcpus[MAX_VCPUS];

	/* Where the loader put things, for the device tree and the report. */
	uint64_t kernel_gpa;
	uint64_t initrd_gpa, initrd_size;
	uint64_t dtb_gpa;
	uint64_t pool_gpa;

	/* How the guest ended: set once by the vCPU that saw it. */
	pthread_mutex_t lock;
	bool stopping;
	int exit_status;
	char exit_reason[128];
	double start_time;
};

/* main.c */
double now(void);
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void vm_stop(struct vm *vm, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool vm_stopping(struct vm *vm);

/* vm.c: the VM, its memory and vCPUs */
void vm_create(struct vm *vm);
void vm_set_shared(struct vm *vm, uint64_t gpa, uint64_t size);
void vm_run(struct vm *vm);
void vcpu_set_reg(struct vcpu *vcpu, uint64_t id, uint64_t val);
void vm_irq_line(struct vm *vm, int spi, int level);
void *gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len);
int kvm_stats(int kvm_fd, const char *const *names, uint64_t *values, int n);

/* load.c: the kernel, initrd and device tree in guest memory */
void load_guest(struct vm *vm);

/* fdt.c */
void *fdt_build(struct vm *vm, size_t *size);

/* uart.c: an 8250 console */
void uart_mmio(struct vm *vm, uint64_t offset, uint8_t *data, int len, bool write);
double uart_init_seen(void);

/* virtio_blk.c: virtio-blk over virtio-mmio */
void virtio_blk_init(struct vm *vm);
void virtio_mmio(struct vm *vm, uint64_t offset, uint8_t *data, int len, bool write);

/* guest_access.c: accesses that may hit a private page (SIGBUS) */
void guest_access_init(void);
int guest_access(void (*fn)(void *), void *arg);

/* scan.c */
uint64_t scan_for_secret(struct vm *vm, uint64_t *readable_pages);

#endif
