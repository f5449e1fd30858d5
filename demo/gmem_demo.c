// SPDX-License-Identifier: GPL-2.0-only
/*
 * gmem_demo: what "make run" shows on the pKVM kernel.
 *
 * It prints a readable account of each step: what KVM reports about
 * guest_memfd on this host, then a VM whose guest code fills its memory
 * and the host reading back what the guest wrote.  The demonstration grows
 * with the series.
 */
#include <stdio.h>
#include <string.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"

#define DATA_GPA	0xc0000000ul
#define DATA_SLOT	1
#define DATA_PAGES	16

#define say(fmt, ...) printf("demo: " fmt "\n", ##__VA_ARGS__)

static void guest_code(uint64_t gva, uint64_t size)
{
	for (uint64_t i = 0; i < size; i += 8)
		*(volatile uint64_t *)(gva + i) = 0x600d0000ul + i;
	GUEST_DONE();
}

static void show_caps(void)
{
	say("host KVM capabilities");
	say("  KVM_CAP_USER_MEMORY2      = %d", kvm_check_cap(KVM_CAP_USER_MEMORY2));
	say("  KVM_CAP_GUEST_MEMFD       = %d", kvm_check_cap(KVM_CAP_GUEST_MEMFD));
	say("  KVM_CAP_MEMORY_ATTRIBUTES = %#x", kvm_check_cap(KVM_CAP_MEMORY_ATTRIBUTES));
	say("  KVM_CAP_VM_TYPES          = %#x", kvm_check_cap(KVM_CAP_VM_TYPES));
}

static void run_vm(void)
{
	uint64_t size = DATA_PAGES * getpagesize(), *hva;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	say("created a VM (%s) with one vCPU", vm_guest_mode_string(vm->mode));

	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, DATA_GPA, DATA_SLOT,
				    size / vm->page_size, 0);
	virt_map(vm, DATA_GPA, DATA_GPA, size / vm->page_size);
	say("added %lu KiB of anonymous memory as memslot %d at gpa %#lx",
	    size >> 10, DATA_SLOT, DATA_GPA);

	vcpu_args_set(vcpu, 2, DATA_GPA, size);
	vcpu_run(vcpu);
	TEST_ASSERT_EQ(get_ucall(vcpu, &uc), UCALL_DONE);
	say("the guest wrote a pattern into that memory and exited");

	hva = addr_gpa2hva(vm, DATA_GPA);
	for (uint64_t i = 0; i < size / 8; i++)
		TEST_ASSERT_EQ(hva[i], 0x600d0000ul + i * 8);
	say("the host read the guest's pattern back: all %lu bytes match", size);

	kvm_vm_free(vm);
}

int main(void)
{
	show_caps();
	run_vm();
	say("done");
	return 0;
}
