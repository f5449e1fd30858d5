// SPDX-License-Identifier: GPL-2.0-only
/*
 * gmem_demo: what "make run" shows on the pKVM kernel.
 *
 * It prints a readable account of each step: what KVM reports about
 * guest_memfd on this host, then a VM whose memory is a guest_memfd that
 * the host maps: the host loads data, the guest checks it and writes its
 * own, the host reads that back, and a punched hole reads as zeroes on both
 * sides.  Then pages are converted to private and back in place: the host
 * loses access, the guest keeps its data in the very same pages, and a page
 * the host pins stops a conversion.  Last, a pKVM protected VM: EL2 donates
 * its guest_memfd memory to the guest, the host loses access, and EL2
 * refuses to map a donated page into another VM for a hostile host kernel
 * (through the test facility of the check kernels); the guest shares a page
 * with the host and takes it back, and gives another one back for good;
 * the host gets the pages back zeroed.  The demonstration grows with the
 * series.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/arm-smccc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "kvm_util.h"
#include "processor.h"
#include "ucall_common.h"

#define DATA_GPA	0xc0000000ul
#define DATA_SLOT	1
#define DATA_PAGES	16

#define say(fmt, ...) printf("demo: " fmt "\n", ##__VA_ARGS__)

#define HOST_WORD(i)	(0x4057000000000000ul + (i))
#define GUEST_WORD(i)	(0x6e57000000000000ul + (i))
#define SECRET_WORD(i)	(0x5ec7000000000000ul + (i))

/* The pages that become private, in pages from the start of the memory. */
#define PRIVATE_FIRST	4
#define PRIVATE_PAGES	4

/*
 * Check the host's data, write the guest's own, check the hole, then write
 * into the pages that the host made private.
 */
static void guest_code(uint64_t gva, uint64_t size, uint64_t hole, uint64_t hole_size,
		       uint64_t priv, uint64_t priv_size)
{
	uint64_t *mem = (uint64_t *)gva;

	for (uint64_t i = 0; i < size / 8; i++)
		GUEST_ASSERT_EQ(mem[i], HOST_WORD(i));
	for (uint64_t i = 0; i < size / 8; i++)
		mem[i] = GUEST_WORD(i);
	GUEST_SYNC(1);

	for (uint64_t i = hole / 8; i < (hole + hole_size) / 8; i++)
		GUEST_ASSERT_EQ(mem[i], 0);
	GUEST_SYNC(2);

	for (uint64_t i = priv / 8; i < (priv + priv_size) / 8; i++) {
		GUEST_ASSERT_EQ(mem[i], GUEST_WORD(i));
		mem[i] = SECRET_WORD(i);
	}
	GUEST_DONE();
}

/* Run the guest until it reaches GUEST_SYNC(@stage), or GUEST_DONE() if 0. */
static void run_until(struct kvm_vcpu *vcpu, uint64_t stage)
{
	struct ucall uc;

	vcpu_run(vcpu);
	if (get_ucall(vcpu, &uc) == UCALL_ABORT)
		REPORT_GUEST_ASSERT(uc);
	TEST_ASSERT_EQ(uc.cmd, stage ? UCALL_SYNC : UCALL_DONE);
	if (stage)
		TEST_ASSERT_EQ(uc.args[1], stage);
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
	say("  KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES = %#x (PRIVATE %#llx)",
	    kvm_check_cap(KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES),
	    KVM_MEMORY_ATTRIBUTE_PRIVATE);
	say("  KVM_CAP_VM_TYPES          = %#x", kvm_check_cap(KVM_CAP_VM_TYPES));
	say("  KVM_CAP_ARM_PROTECTED_VM  = %d", kvm_check_cap(KVM_CAP_ARM_PROTECTED_VM));
}

/*
 * Convert pages to private and back in place, and show that a page the host
 * pins stops a conversion to private.
 */
static void convert(struct kvm_vcpu *vcpu, int fd, uint64_t *hva)
{
	const uint64_t page = getpagesize(), priv = PRIVATE_FIRST * page;
	const uint64_t priv_size = PRIVATE_PAGES * page;
	char *bytes = (char *)hva, buf[page];
	uint64_t error_offset;
	int ret, pipefd[2];
	struct iovec iov;

	guest_memfd_set_private(fd, priv, priv_size);
	say("converted offsets %#lx-%#lx to private in place (KVM_SET_MEMORY_ATTRIBUTES2)",
	    priv, priv + priv_size - 1);
	TEST_ASSERT(access_raises_sigbus(bytes + priv, false) &&
		    !access_raises_sigbus(bytes + priv - page, false),
		    "Only private memory should raise SIGBUS");
	say("the host lost access: reading them raises SIGBUS, the page before still reads");

	run_until(vcpu, 0);
	say("the guest found its earlier data there and overwrote it with secrets");

	guest_memfd_set_shared(fd, priv, priv_size);
	for (uint64_t i = priv / 8; i < (priv + priv_size) / 8; i++)
		TEST_ASSERT_EQ(hva[i], SECRET_WORD(i));
	say("converted them back to shared: the host reads the guest's secrets in the same pages, no copy");

	iov = (struct iovec){ .iov_base = bytes + priv + page, .iov_len = page };
	TEST_ASSERT(!pipe(pipefd), "pipe() failed");
	TEST_ASSERT_EQ(vmsplice(pipefd[1], &iov, 1, 0), page);
	ret = __guest_memfd_set_attributes(fd, priv, priv_size,
					   KVM_MEMORY_ATTRIBUTE_PRIVATE, &error_offset);
	TEST_ASSERT(ret && errno == EAGAIN && error_offset == priv + page,
		    "A pinned page should stop the conversion with EAGAIN");
	TEST_ASSERT(access_raises_sigbus(bytes + priv, false) &&
		    !access_raises_sigbus(bytes + error_offset, false),
		    "Only the pages before error_offset should be private");
	say("vmsplice()d offset %#lx into a pipe; converting to private again stops there:",
	    priv + page);
	say("  EAGAIN with error_offset %#lx, the page before it is private already", error_offset);

	TEST_ASSERT_EQ(read(pipefd[0], buf, page), page);
	guest_memfd_set_private(fd, error_offset, priv + priv_size - error_offset);
	for (uint64_t off = priv; off < priv + priv_size; off += page)
		TEST_ASSERT(access_raises_sigbus(bytes + off, false),
			    "Offset %#lx should be private", off);
	say("drained the pipe, and the conversion from error_offset on goes through");
	close(pipefd[0]);
	close(pipefd[1]);
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

	vcpu_args_set(vcpu, 6, DATA_GPA, size, hole, getpagesize(),
		      PRIVATE_FIRST * getpagesize(), PRIVATE_PAGES * getpagesize());
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

	run_until(vcpu, 2);
	say("and so does the guest: the page was unmapped from both and replaced by a zeroed one");

	convert(vcpu, fd, hva);

	close(fd);
	kvm_vm_free(vm);
}

/* The memslot of the protected VM's memory: 1 holds its shared memory. */
#define PVM_SLOT	2

#define MEM_FUNC(name)	ARM_SMCCC_VENDOR_HYP_KVM_MEM_##name##_FUNC_ID

/*
 * Check the host's data and overwrite it with secrets.  Then share the first
 * page and leave the host a message there, take it back, and give the
 * second page back to the host (ballooning).  The memory is identity-mapped.
 */
static void guest_protected(uint64_t gva, uint64_t size, uint64_t page_size)
{
	uint64_t *mem = (uint64_t *)gva, *page1 = (uint64_t *)(gva + page_size);

	for (uint64_t i = 0; i < size / 8; i++) {
		GUEST_ASSERT_EQ(mem[i], HOST_WORD(i));
		mem[i] = SECRET_WORD(i);
	}
	GUEST_SYNC(1);

	GUEST_ASSERT_EQ(pkvm_mem_hvc(MEM_FUNC(SHARE), gva), SMCCC_RET_SUCCESS);
	mem[0] = GUEST_WORD(0);
	GUEST_SYNC(2);

	GUEST_ASSERT_EQ(mem[0], HOST_WORD(0));
	GUEST_ASSERT_EQ(pkvm_mem_hvc(MEM_FUNC(UNSHARE), gva), SMCCC_RET_SUCCESS);
	GUEST_ASSERT_EQ(mem[1], SECRET_WORD(1));
	GUEST_SYNC(3);

	GUEST_ASSERT_EQ(pkvm_mem_hvc(MEM_FUNC(RELINQUISH), gva + page_size),
			SMCCC_RET_SUCCESS);
	GUEST_ASSERT_EQ(page1[0], 0);
	GUEST_SYNC(4);
	GUEST_DONE();
}

static void guest_idle(void)
{
	GUEST_SYNC(1);
	GUEST_DONE();
}

/*
 * Has the kernel's test facility (CONFIG_PKVM_HOSTILE_HOST_TEST) run @cmd
 * for @vm, as a hostile host kernel would, and puts its result in @result.
 * Returns 0, the command's -errno, or 1 if the kernel has no facility.
 */
static int hostile(struct kvm_vm *vm, const char *cmd, uint64_t *result)
{
	char path[80], buf[32] = {};
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/pkvm_hostile_host",
		 getpid(), vm->fd);
	fd = open(path, O_RDWR);
	if (fd < 0)
		return 1;
	if (write(fd, cmd, strlen(cmd)) < 0)
		ret = -errno;
	else if (result && read(fd, buf, sizeof(buf) - 1) > 0)
		*result = strtoull(buf, NULL, 16);
	close(fd);
	return ret;
}

/*
 * A host kernel that wants the guest's secrets asks EL2 to map a page it
 * donated to the guest into a VM of its own, where EL2 owns the stage-2 too.
 */
static void try_hostile_host(struct kvm_vm *pvm)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	char cmd[64];
	uint64_t pfn;
	int ret;

	vm = vm_create_with_one_vcpu(&vcpu, guest_idle);
	run_until(vcpu, 1);
	snprintf(cmd, sizeof(cmd), "pfn %lx", DATA_GPA / getpagesize());
	ret = hostile(pvm, cmd, &pfn);
	if (ret == 1) {
		say("(no CONFIG_PKVM_HOSTILE_HOST_TEST in this kernel: no hostile host step)");
	} else {
		TEST_ASSERT_EQ(ret, 0);
		snprintf(cmd, sizeof(cmd), "map %lx %lx", DATA_GPA / getpagesize(), pfn);
		ret = hostile(vm, cmd, NULL);
		TEST_ASSERT_EQ(ret, -EPERM);
		say("a hostile host kernel asked EL2 to map a donated page (pfn %#lx) into a", pfn);
		say("  VM of its own: EL2, which owns every VM's stage-2, refused it (EPERM)");
	}
	kvm_vm_free(vm);
}

static void run_protected_vm(void)
{
	struct vm_shape shape = {
		.mode = VM_MODE_DEFAULT,
		.type = KVM_VM_TYPE_ARM_PROTECTED,
	};
	uint64_t size = DATA_PAGES * getpagesize(), *hva;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int fd;

	if (!kvm_check_cap(KVM_CAP_ARM_PROTECTED_VM)) {
		say("no protected VMs: the host didn't boot with kvm-arm.mode=protected");
		return;
	}

	vm = vm_create_shape_with_one_vcpu(shape, &vcpu, guest_protected);
	say("created a protected VM (KVM_VM_TYPE_ARM_PROTECTED): EL2 owns its stage-2");
	fd = vm_create_guest_memfd(vm, size, GUEST_MEMFD_FLAG_MMAP |
					     GUEST_MEMFD_FLAG_INIT_SHARED);
	vm_guest_memfd_region_add(vm, DATA_GPA, PVM_SLOT, size / vm->page_size, 0, fd, 0);
	virt_map(vm, DATA_GPA, DATA_GPA, size / vm->page_size);
	hva = addr_gpa2hva(vm, DATA_GPA);
	for (uint64_t i = 0; i < size / 8; i++)
		hva[i] = HOST_WORD(i);
	say("gave it a %lu KiB guest_memfd, shared for now, and the host loaded its data", size >> 10);

	vcpu_args_set(vcpu, 3, DATA_GPA, size, getpagesize());
	run_until(vcpu, 1);
	say("the guest found the host's data and replaced it with secrets: on each first");
	say("  touch, guest_memfd made the page private and EL2 donated it to the guest");

	for (uint64_t off = 0; off < size; off += getpagesize())
		TEST_ASSERT(access_raises_sigbus((char *)hva + off, false),
			    "Donated memory at offset %#lx should raise SIGBUS", off);
	say("the host can't read any of it: SIGBUS, and the pages are out of its stage-2");
	try_hostile_host(vm);

	run_until(vcpu, 2);
	TEST_ASSERT_EQ(hva[0], GUEST_WORD(0));
	TEST_ASSERT_EQ(hva[1], SECRET_WORD(1));
	hva[0] = HOST_WORD(0);
	say("the guest shared its first page (MEM_SHARE): EL2 gave the host access and");
	say("  guest_memfd made it shared; the host reads the guest's message there, in");
	say("  place, and answers it");

	run_until(vcpu, 3);
	TEST_ASSERT(access_raises_sigbus((char *)hva, false),
		    "A page the guest unshared should raise SIGBUS");
	say("the guest read the answer and took the page back (MEM_UNSHARE): SIGBUS again,");
	say("  and the guest still finds its secrets in it");

	run_until(vcpu, 4);
	say("the guest gave its second page back (MEM_RELINQUISH): EL2 zeroed it, guest_memfd");
	say("  freed it, and the guest's next touch found a new, zeroed page");

	vm_mem_region_delete(vm, PVM_SLOT);
	guest_memfd_set_shared(fd, 0, size);
	hva = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	TEST_ASSERT(hva != MAP_FAILED, "mmap() failed");
	for (uint64_t i = 0; i < size / 8; i++)
		TEST_ASSERT_EQ(hva[i], 0);
	say("deleted the memslot: EL2 zeroed the pages and gave them back; shared again,");
	say("  the same guest_memfd pages read as zeroes, not as the guest's secrets");

	munmap(hva, size);
	close(fd);
	kvm_vm_free(vm);
}

int main(void)
{
	show_caps();
	run_vm();
	run_protected_vm();
	say("done");
	return 0;
}
