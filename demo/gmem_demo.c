// SPDX-License-Identifier: GPL-2.0-only
/*
 * gmem_demo: what "make run" shows on the pKVM kernel.
 *
 * It prints a readable account of each step: what KVM reports about
 * guest_memfd on this host, then a VM whose memory is a guest_memfd that
 * the host maps: the host loads data, the guest checks it and writes its
 * own, the host reads that back, and a punched hole reads as zeroes on both
 * sides.  The demonstration grows with the series.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/falloc.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"

#define DATA_GPA	0xc0000000ul
#define DATA_SLOT	1
#define DATA_PAGES	16

#define say(fmt, ...) printf("demo: " fmt "\n", ##__VA_ARGS__)

#define HOST_WORD(i)	(0x4057000000000000ul + (i))
#define GUEST_WORD(i)	(0x6e57000000000000ul + (i))

/* Check the host's data, write the guest's own, then check the hole. */
static void guest_code(uint64_t gva, uint64_t size, uint64_t hole, uint64_t hole_size)
{
	uint64_t *mem = (uint64_t *)gva;

	for (uint64_t i = 0; i < size / 8; i++)
		GUEST_ASSERT_EQ(mem[i], HOST_WORD(i));
	for (uint64_t i = 0; i < size / 8; i++)
		mem[i] = GUEST_WORD(i);
	GUEST_SYNC(1);

	for (uint64_t i = hole / 8; i < (hole + hole_size) / 8; i++)
		GUEST_ASSERT_EQ(mem[i], 0);
	GUEST_DONE();
}

static void run_until(struct kvm_vcpu *vcpu, uint64_t want)
{
	struct ucall uc;

	vcpu_run(vcpu);
	if (get_ucall(vcpu, &uc) == UCALL_ABORT)
		REPORT_GUEST_ASSERT(uc);
	TEST_ASSERT_EQ(uc.cmd, want);
}

static void show_caps(void)
{
	say("host KVM capabilities");
	say("  KVM_CAP_USER_MEMORY2      = %d", kvm_check_cap(KVM_CAP_USER_MEMORY2));
	say("  KVM_CAP_GUEST_MEMFD       = %d", kvm_check_cap(KVM_CAP_GUEST_MEMFD));
	say("  KVM_CAP_GUEST_MEMFD_FLAGS = %#x (MMAP %#llx, INIT_SHARED %#llx)",
	    kvm_check_cap(KVM_CAP_GUEST_MEMFD_FLAGS), GUEST_MEMFD_FLAG_MMAP,
	    GUEST_MEMFD_FLAG_INIT_SHARED);
	say("  KVM_CAP_MEMORY_ATTRIBUTES = %#x", kvm_check_cap(KVM_CAP_MEMORY_ATTRIBUTES));
	say("  KVM_CAP_VM_TYPES          = %#x", kvm_check_cap(KVM_CAP_VM_TYPES));
}

static void run_vm(void)
{
	uint64_t size = DATA_PAGES * getpagesize(), hole = 2 * getpagesize(), *hva;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int fd;

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	say("created a VM (%s) with one vCPU", vm_guest_mode_string(vm->mode));

	fd = vm_create_guest_memfd(vm, size, GUEST_MEMFD_FLAG_MMAP |
					     GUEST_MEMFD_FLAG_INIT_SHARED);
	say("created a %lu KiB guest_memfd (fd %d) with MMAP | INIT_SHARED", size >> 10, fd);
	vm_guest_memfd_region_add(vm, DATA_GPA, DATA_SLOT, size / vm->page_size, 0, fd, 0);
	virt_map(vm, DATA_GPA, DATA_GPA, size / vm->page_size);
	say("bound it as memslot %d at gpa %#lx; the host maps it with mmap(MAP_SHARED)",
	    DATA_SLOT, DATA_GPA);

	hva = addr_gpa2hva(vm, DATA_GPA);
	for (uint64_t i = 0; i < size / 8; i++)
		hva[i] = HOST_WORD(i);
	say("the host wrote its data through the mapping");

	vcpu_args_set(vcpu, 4, DATA_GPA, size, hole, getpagesize());
	run_until(vcpu, 1);
	say("the guest read the host's data from the same pages and wrote its own");

	for (uint64_t i = 0; i < size / 8; i++)
		TEST_ASSERT_EQ(hva[i], GUEST_WORD(i));
	say("the host read the guest's data back: all %lu bytes match", size);

	TEST_ASSERT(!fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       hole, getpagesize()), "fallocate(PUNCH_HOLE) failed");
	for (uint64_t i = hole / 8; i < (hole + getpagesize()) / 8; i++)
		TEST_ASSERT_EQ(hva[i], 0);
	say("punched a hole at offset %#lx: the host now reads zeroes there", hole);

	run_until(vcpu, UCALL_DONE);
	say("and so does the guest: the page was unmapped from both and freed");

	close(fd);
	kvm_vm_free(vm);
}

int main(void)
{
	show_caps();
	run_vm();
	say("done");
	return 0;
}
