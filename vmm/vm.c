// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VM: its guest_memfd RAM, its vGIC and its vCPUs, one thread each.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "vmm.h"

/* KVM's default IPA size, for a VM type without IPA size bits. */
#define DEFAULT_IPA_BITS	40

static int kvm_cap(int fd, long cap)
{
	int ret = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return ret < 0 ? 0 : ret;
}

static void create_memory(struct vm *vm)
{
	struct kvm_create_guest_memfd gmem = { .size = vm->ram_size };
	struct kvm_userspace_memory_region2 region = {
		.slot = 0,
		.flags = KVM_MEM_GUEST_MEMFD,
		.guest_phys_addr = RAM_BASE,
		.memory_size = vm->ram_size,
	};
	int flags = kvm_cap(vm->vm_fd, KVM_CAP_GUEST_MEMFD_FLAGS);

	if (!(flags & GUEST_MEMFD_FLAG_MMAP))
		die("this kernel's guest_memfd can't be mmap()ed (KVM_CAP_GUEST_MEMFD_FLAGS %#x)",
		    flags);
	/*
	 * A protected guest's memory starts private, and only what the VMM
	 * loads is made shared: the guest's first touch of a page that is
	 * private already costs EL2 one donation, without a conversion.
	 */
	gmem.flags = GUEST_MEMFD_FLAG_MMAP;
	if (!vm->protected)
		gmem.flags |= GUEST_MEMFD_FLAG_INIT_SHARED;
	vm->gmem_fd = ioctl(vm->vm_fd, KVM_CREATE_GUEST_MEMFD, &gmem);
	if (vm->gmem_fd < 0)
		die("KVM_CREATE_GUEST_MEMFD of %llu bytes: %s",
		    (unsigned long long)vm->ram_size, strerror(errno));
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->gmem_fd, 0);
	if (vm->ram == MAP_FAILED)
		die("mmap() of the guest_memfd: %s", strerror(errno));

	region.userspace_addr = (uintptr_t)vm->ram;
	region.guest_memfd = vm->gmem_fd;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION2, &region))
		die("KVM_SET_USER_MEMORY_REGION2: %s", strerror(errno));
}

void vm_set_shared(struct vm *vm, uint64_t gpa, uint64_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	struct kvm_memory_attributes2 attr = {
		.offset = (gpa - RAM_BASE) & ~(page - 1),
		.attributes = 0,
	};

	if (!vm->protected)
		return;
	attr.size = ((gpa - RAM_BASE + size + page - 1) & ~(page - 1)) - attr.offset;
	if (ioctl(vm->gmem_fd, KVM_SET_MEMORY_ATTRIBUTES2, &attr))
		die("KVM_SET_MEMORY_ATTRIBUTES2 (shared) of 0x%llx+0x%llx: %s",
		    (unsigned long long)attr.offset, (unsigned long long)attr.size,
		    strerror(errno));
}

void *gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa < RAM_BASE || len > vm->ram_size ||
	    gpa - RAM_BASE > vm->ram_size - len)
		return NULL;
	return vm->ram + (gpa - RAM_BASE);
}

static uint64_t get_reg(struct vcpu *vcpu, uint64_t id)
{
	uint64_t val;
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(vcpu->fd, KVM_GET_ONE_REG, &reg))
		die("vCPU %d: KVM_GET_ONE_REG %#llx: %s", vcpu->id,
		    (unsigned long long)id, strerror(errno));
	return val;
}

void vcpu_set_reg(struct vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&val };

	if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg))
		die("vCPU %d: KVM_SET_ONE_REG %#llx: %s", vcpu->id,
		    (unsigned long long)id, strerror(errno));
}

static void create_vcpu(struct vm *vm, int id)
{
	struct vcpu *vcpu = &vm->vcpus[id];
	struct kvm_vcpu_init init;

	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (vcpu->fd < 0)
		die("KVM_CREATE_VCPU %d: %s", id, strerror(errno));
	vcpu->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 vcpu->fd, 0);
	if (vcpu->run == MAP_FAILED)
		die("mmap() of vCPU %d: %s", id, strerror(errno));

	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init))
		die("KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
	init.features[0] |= 1 << KVM_ARM_VCPU_PSCI_0_2;
	/* The guest brings up the others with PSCI CPU_ON. */
	if (id)
		init.features[0] |= 1 << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init))
		die("KVM_ARM_VCPU_INIT of vCPU %d: %s", id, strerror(errno));
	/* For the device tree: the MPIDR that KVM gives the vCPU. */
	vcpu->mpidr = get_reg(vcpu, ARM64_SYS_REG(3, 0, 0, 0, 5)) & 0xff00ffffffUL;
}

static void set_gic_attr(struct vm *vm, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group, .attr = attr, .addr = (uintptr_t)val,
	};

	if (ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a))
		die("vGIC attribute %u/%llu: %s", group, (unsigned long long)attr,
		    strerror(errno));
}

static void create_gic(struct vm *vm)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GIC_DIST_BASE, redist = GIC_REDIST_BASE;
	uint32_t nr_irqs = 64;

	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &dev))
		die("creating the GICv3 (KVM_CREATE_DEVICE): %s", strerror(errno));
	vm->gic_fd = dev.fd;
	set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist);
	set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist);
	set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs);
	set_gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL);
}

void vm_create(struct vm *vm)
{
	unsigned long type = 0;
	int max_vcpus, ipa_bits, i;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die("/dev/kvm: %s", strerror(errno));

	if (kvm_cap(vm->kvm_fd, KVM_CAP_ARM_PROTECTED_VM)) {
		if (vm->protected < 0)
			vm->protected = 1;
	} else if (vm->protected > 0) {
		die("--protected: this host doesn't run protected VMs (it needs pKVM, kvm-arm.mode=protected)");
	} else {
		vm->protected = 0;
	}
	if (vm->protected)
		type |= KVM_VM_TYPE_ARM_PROTECTED;

	ipa_bits = kvm_cap(vm->kvm_fd, KVM_CAP_ARM_VM_IPA_SIZE) ?: DEFAULT_IPA_BITS;
	if (ipa_bits > DEFAULT_IPA_BITS)
		ipa_bits = DEFAULT_IPA_BITS;
	if (vm->ram_size > (1ULL << ipa_bits) - RAM_BASE)
		die("--mem: %llu MiB of RAM from 0x%lx doesn't fit in the %d-bit guest physical address space",
		    (unsigned long long)(vm->ram_size >> 20), RAM_BASE, ipa_bits);

	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, type);
	if (vm->vm_fd < 0)
		die("KVM_CREATE_VM (%s): %s",
		    vm->protected ? "protected" : "not protected", strerror(errno));

	max_vcpus = kvm_cap(vm->vm_fd, KVM_CAP_MAX_VCPUS);
	if (max_vcpus > MAX_VCPUS)
		max_vcpus = MAX_VCPUS;
	if (vm->nr_vcpus > max_vcpus)
		die("--cpus %d: this VMM and KVM allow at most %d vCPUs",
		    vm->nr_vcpus, max_vcpus);
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	create_memory(vm);
	for (i = 0; i < vm->nr_vcpus; i++)
		create_vcpu(vm, i);
	create_gic(vm);
}

void vm_irq_line(struct vm *vm, int spi, int level)
{
	struct kvm_irq_level irq = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | (32 + spi),
		.level = level,
	};

	if (ioctl(vm->vm_fd, KVM_IRQ_LINE, &irq))
		vm_stop(vm, 1, "KVM_IRQ_LINE %d: %s", spi, strerror(errno));
}

/*
 * Read named statistics of a VM or vCPU (@kvm_fd) from KVM's binary
 * statistics; -1 if one lacks.
 */
int kvm_stats(int kvm_fd, const char *const *names, uint64_t *values, int n)
{
	struct kvm_stats_header h;
	struct kvm_stats_desc *d;
	size_t dsize;
	int fd, found = 0;
	char *descs;

	fd = ioctl(kvm_fd, KVM_GET_STATS_FD, NULL);
	if (fd < 0 || pread(fd, &h, sizeof(h), 0) != sizeof(h)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	dsize = sizeof(*d) + h.name_size;
	descs = malloc(dsize * h.num_desc);
	if (!descs || pread(fd, descs, dsize * h.num_desc, h.desc_offset) !=
		      (ssize_t)(dsize * h.num_desc))
		goto out;
	for (uint32_t i = 0; i < h.num_desc; i++) {
		d = (struct kvm_stats_desc *)(descs + i * dsize);
		for (int j = 0; j < n; j++) {
			if (strcmp(d->name, names[j]))
				continue;
			if (pread(fd, &values[j], sizeof(values[j]),
				  h.data_offset + d->offset) == sizeof(values[j]))
				found++;
		}
	}
out:
	free(descs);
	close(fd);
	return found == n ? 0 : -1;
}

static void mmio(struct vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint64_t addr = run->mmio.phys_addr;
	int len = run->mmio.len;

	if (addr >= UART_BASE && addr - UART_BASE < UART_SIZE)
		uart_mmio(vcpu->vm, addr - UART_BASE, run->mmio.data, len,
			  run->mmio.is_write);
	else if (vcpu->vm->disk_path && addr >= VIRTIO_BASE &&
		 addr - VIRTIO_BASE < VIRTIO_SIZE)
		virtio_mmio(vcpu->vm, addr - VIRTIO_BASE, run->mmio.data, len,
			    run->mmio.is_write);
	else if (!run->mmio.is_write)
		memset(run->mmio.data, 0, len);
}

static void system_event(struct vcpu *vcpu)
{
	switch (vcpu->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm_stop(vcpu->vm, 0, "the guest powered off (PSCI SYSTEM_OFF)");
		break;
	case KVM_SYSTEM_EVENT_RESET:
		vm_stop(vcpu->vm, 1, "the guest reset (PSCI SYSTEM_RESET): it rebooted or panicked");
		break;
	default:
		vm_stop(vcpu->vm, 1, "the guest stopped: system event %u",
			vcpu->run->system_event.type);
	}
}

/*
 * A memory fault exit that this VMM, which pins nothing, only sees while a
 * reference of its own is transient (e.g. a read of the page): run the
 * vCPU again, a bounded number of times in a row.
 */
#define MEMORY_FAULT_RETRIES	1000

static void *vcpu_thread(void *arg)
{
	struct vcpu *vcpu = arg;
	struct vm *vm = vcpu->vm;
	struct kvm_run *run = vcpu->run;
	int faults = 0;

	while (!vm_stopping(vm)) {
		if (ioctl(vcpu->fd, KVM_RUN, NULL)) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			if (errno == EFAULT && run->exit_reason == KVM_EXIT_MEMORY_FAULT &&
			    ++faults < MEMORY_FAULT_RETRIES)
				continue;
			if (errno == EFAULT && run->exit_reason == KVM_EXIT_MEMORY_FAULT)
				vm_stop(vm, 1, "vCPU %d: KVM_RUN: memory fault at 0x%llx (%s)",
					vcpu->id,
					(unsigned long long)run->memory_fault.gpa,
					run->memory_fault.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE ?
					"private" : "shared");
			else
				vm_stop(vm, 1, "vCPU %d: KVM_RUN: %s", vcpu->id,
					strerror(errno));
			break;
		}
		faults = 0;
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			mmio(vcpu);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			system_event(vcpu);
			break;
		case KVM_EXIT_FAIL_ENTRY:
			vm_stop(vm, 1, "vCPU %d: KVM can't enter the guest (reason %#llx)",
				vcpu->id,
				(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
			break;
		default:
			vm_stop(vm, 1, "vCPU %d: unexpected exit %u from KVM_RUN",
				vcpu->id, run->exit_reason);
		}
	}
	/*
	 * Whoever stops the VM first kicks the others out of KVM_RUN, once
	 * vm_run() created them all.
	 */
	pthread_mutex_lock(&vm->lock);
	for (int i = 0; i < vm->nr_vcpus; i++) {
		if (i == vcpu->id)
			continue;
		vm->vcpus[i].run->immediate_exit = 1;
		pthread_kill(vm->vcpus[i].thread, SIGUSR1);
	}
	pthread_mutex_unlock(&vm->lock);
	return NULL;
}

/*
 * With VMM_DEBUG set: what KVM counted of the VM, every 5 seconds (a vCPU's
 * own statistics would wait for its KVM_RUN to return).
 */
static void debug_stats(struct vm *vm)
{
	static const char *const names[] = {
		"stage2_maps", "guest_pages_donated", "guest_shares", "hyp_calls",
	};
	uint64_t v[4];

	sleep(5);
	if (!kvm_stats(vm->vm_fd, names, v, 4))
		fprintf(stderr, "vmm: debug: stage-2 maps %llu, donated %llu, shares %llu, hyp calls %llu\n",
			(unsigned long long)v[0], (unsigned long long)v[1],
			(unsigned long long)v[2], (unsigned long long)v[3]);
}

static void kick(int sig)
{
	(void)sig;
}

void vm_run(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick };
	int i;

	/* No SA_RESTART: the signal makes KVM_RUN return EINTR. */
	sigaction(SIGUSR1, &sa, NULL);
	pthread_mutex_lock(&vm->lock);
	for (i = 0; i < vm->nr_vcpus; i++)
		if (pthread_create(&vm->vcpus[i].thread, NULL, vcpu_thread,
				   &vm->vcpus[i]))
			die("pthread_create: %s", strerror(errno));
	pthread_mutex_unlock(&vm->lock);
	if (getenv("VMM_DEBUG"))
		while (!vm_stopping(vm))
			debug_stats(vm);
	for (i = 0; i < vm->nr_vcpus; i++)
		pthread_join(vm->vcpus[i].thread, NULL);
}
