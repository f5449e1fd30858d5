// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load the kernel, initrd and device tree into guest memory, as
 * Documentation/virt/kvm/arm/pkvm.rst says a VMM loads a protected guest:
 * guest_memfd pages are made shared, written through the VMM's mapping,
 * and become private when the guest first touches them.  The layout
 * follows the arm64 boot protocol (Documentation/arch/arm64/booting.rst).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "vmm.h"

#define SZ_2M		(2UL << 20)
#define DTB_MAX_SIZE	SZ_2M

/* The header of an arm64 Image (booting.rst). */
struct arm64_image_header {
	uint32_t code0, code1;
	uint64_t text_offset;
	uint64_t image_size;
	uint64_t flags;
	uint64_t res2, res3, res4;
	uint32_t magic;
	uint32_t res5;
};

#define ARM64_IMAGE_MAGIC	0x644d5241	/* "ARM\x64" */

static void *read_file(const char *what, const char *path, uint64_t *size)
{
	struct stat st;
	void *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		die("%s %s: %s", what, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die("%s %s: not a regular file", what, path);
	buf = malloc(st.st_size ?: 1);
	if (!buf)
		die("%s %s: out of memory", what, path);
	if (read(fd, buf, st.st_size) != st.st_size)
		die("%s %s: short read", what, path);
	close(fd);
	*size = st.st_size;
	return buf;
}

/* Make [gpa, gpa + size) shared and copy @data there. */
static void put(struct vm *vm, uint64_t gpa, const void *data, uint64_t size)
{
	vm_set_shared(vm, gpa, size);
	memcpy(gpa_to_host(vm, gpa, size), data, size);
}

#define CORE_REG(r)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, r) / sizeof(uint32_t)))

void load_guest(struct vm *vm)
{
	uint64_t ram_end = RAM_BASE + vm->ram_size, footprint, kernel_size;
	struct arm64_image_header *h;
	void *kernel, *initrd = NULL, *dtb;
	size_t dtb_size;

	kernel = read_file("kernel", vm->kernel_path, &kernel_size);
	h = kernel;
	if (kernel_size < sizeof(*h) || h->magic != ARM64_IMAGE_MAGIC)
		die("kernel %s: not an arm64 Image (no \"ARM\\x64\" magic in its header)",
		    vm->kernel_path);
	/* The image's footprint in memory, with its BSS. */
	footprint = h->image_size > kernel_size ? h->image_size : kernel_size;
	if (vm->initrd_path)
		initrd = read_file("initrd", vm->initrd_path, &vm->initrd_size);

	/*
	 * The kernel at the start of RAM (2 MiB aligned, plus its text
	 * offset); from the end of RAM down: the DMA pool, 2 MiB for the
	 * device tree, the initrd.
	 */
	vm->kernel_gpa = RAM_BASE + h->text_offset;
	vm->pool_gpa = ram_end - DMA_POOL_SIZE;
	vm->dtb_gpa = vm->pool_gpa - DTB_MAX_SIZE;
	vm->initrd_gpa = (vm->dtb_gpa - vm->initrd_size) & ~(SZ_2M - 1);
	if (vm->ram_size < DMA_POOL_SIZE + DTB_MAX_SIZE + vm->initrd_size ||
	    vm->initrd_gpa < vm->kernel_gpa + footprint + SZ_2M)
		die("--mem %llu MiB: too small for the kernel (%llu MiB), initrd (%llu MiB), device tree and DMA pool",
		    (unsigned long long)(vm->ram_size >> 20),
		    (unsigned long long)(footprint >> 20),
		    (unsigned long long)(vm->initrd_size >> 20));

	dtb = fdt_build(vm, &dtb_size);
	put(vm, vm->kernel_gpa, kernel, kernel_size);
	if (initrd)
		put(vm, vm->initrd_gpa, initrd, vm->initrd_size);
	put(vm, vm->dtb_gpa, dtb, dtb_size);
	free(kernel);
	free(initrd);
	free(dtb);

	/* The boot CPU enters the kernel with x0 pointing at the device tree. */
	vcpu_set_reg(&vm->vcpus[0], CORE_REG(regs.pc), vm->kernel_gpa);
	vcpu_set_reg(&vm->vcpus[0], CORE_REG(regs.regs[0]), vm->dtb_gpa);
}
