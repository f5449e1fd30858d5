// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's device tree, built with libfdt: memory, CPUs started with
 * PSCI, the GICv3, the architected timer, the 8250 console and the
 * virtio-mmio disk, whose DMA goes through a restricted DMA pool.  A
 * protected guest's Linux shares that pool with the host at boot
 * (MEM_SHARE), so every virtio transfer goes through shared memory.
 */
#include <stdlib.h>
#include <stdio.h>
#include <libfdt.h>

#include "vmm.h"

#define FDT_SIZE	0x10000
#define GIC_PHANDLE	1
#define POOL_PHANDLE	2

/* Interrupt specifiers of the GICv3 binding. */
#define GIC_SPI		0
#define GIC_PPI		1
#define IRQ_LEVEL_HIGH	4

static void check(int err, const char *what)
{
	if (err < 0)
		die("device tree: %s: %s", what, fdt_strerror(err));
}

#define F(call)	check(call, #call)

static void prop_reg(void *fdt, uint64_t addr, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(addr), cpu_to_fdt64(size) };

	F(fdt_property(fdt, "reg", reg, sizeof(reg)));
}

static void prop_irq(void *fdt, uint32_t type, uint32_t nr, uint32_t flags)
{
	fdt32_t irq[3] = { cpu_to_fdt32(type), cpu_to_fdt32(nr), cpu_to_fdt32(flags) };

	F(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
}

static void node_cpus(void *fdt, struct vm *vm)
{
	char name[32];

	F(fdt_begin_node(fdt, "cpus"));
	F(fdt_property_u32(fdt, "#address-cells", 2));
	F(fdt_property_u32(fdt, "#size-cells", 0));
	for (int i = 0; i < vm->nr_vcpus; i++) {
		snprintf(name, sizeof(name), "cpu@%llx",
			 (unsigned long long)vm->vcpus[i].mpidr);
		F(fdt_begin_node(fdt, name));
		F(fdt_property_string(fdt, "device_type", "cpu"));
		F(fdt_property_string(fdt, "compatible", "arm,arm-v8"));
		F(fdt_property_string(fdt, "enable-method", "psci"));
		F(fdt_property_u64(fdt, "reg", vm->vcpus[i].mpidr));
		F(fdt_end_node(fdt));
	}
	F(fdt_end_node(fdt));

	F(fdt_begin_node(fdt, "psci"));
	F(fdt_property(fdt, "compatible", "arm,psci-1.0\0arm,psci-0.2", 26));
	F(fdt_property_string(fdt, "method", "hvc"));
	F(fdt_end_node(fdt));
}

static void node_gic_timer(void *fdt, struct vm *vm)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(GIC_DIST_BASE), cpu_to_fdt64(GIC_DIST_SIZE),
		cpu_to_fdt64(GIC_REDIST_BASE),
		cpu_to_fdt64(GIC_REDIST_SIZE * vm->nr_vcpus),
	};
	/* Secure and non-secure physical, virtual and hypervisor timers. */
	static const uint32_t ppis[] = { 13, 14, 11, 10 };
	fdt32_t irqs[12];

	F(fdt_begin_node(fdt, "intc@8000000"));
	F(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	F(fdt_property_u32(fdt, "#interrupt-cells", 3));
	F(fdt_property(fdt, "interrupt-controller", NULL, 0));
	F(fdt_property(fdt, "reg", reg, sizeof(reg)));
	F(fdt_property_u32(fdt, "phandle", GIC_PHANDLE));
	F(fdt_end_node(fdt));

	for (int i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(GIC_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
	}
	F(fdt_begin_node(fdt, "timer"));
	F(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	F(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	F(fdt_property(fdt, "always-on", NULL, 0));
	F(fdt_end_node(fdt));
}

static void node_devices(void *fdt, struct vm *vm)
{
	F(fdt_begin_node(fdt, "uart@9000000"));
	F(fdt_property_string(fdt, "compatible", "ns16550a"));
	prop_reg(fdt, UART_BASE, UART_SIZE);
	prop_irq(fdt, GIC_SPI, UART_SPI, IRQ_LEVEL_HIGH);
	F(fdt_property_u32(fdt, "clock-frequency", 1843200));
	F(fdt_end_node(fdt));

	F(fdt_begin_node(fdt, "reserved-memory"));
	F(fdt_property_u32(fdt, "#address-cells", 2));
	F(fdt_property_u32(fdt, "#size-cells", 2));
	F(fdt_property(fdt, "ranges", NULL, 0));
	F(fdt_begin_node(fdt, "restricted-dma"));
	F(fdt_property_string(fdt, "compatible", "restricted-dma-pool"));
	prop_reg(fdt, vm->pool_gpa, DMA_POOL_SIZE);
	F(fdt_property_u32(fdt, "phandle", POOL_PHANDLE));
	F(fdt_end_node(fdt));
	F(fdt_end_node(fdt));

	if (!vm->disk_path)
		return;
	F(fdt_begin_node(fdt, "virtio@a000000"));
	F(fdt_property_string(fdt, "compatible", "virtio,mmio"));
	prop_reg(fdt, VIRTIO_BASE, VIRTIO_SIZE);
	prop_irq(fdt, GIC_SPI, VIRTIO_SPI, IRQ_LEVEL_HIGH);
	F(fdt_property(fdt, "dma-coherent", NULL, 0));
	F(fdt_property_u32(fdt, "memory-region", POOL_PHANDLE));
	F(fdt_end_node(fdt));
}

void *fdt_build(struct vm *vm, size_t *size)
{
	void *fdt = malloc(FDT_SIZE);
	char name[32];

	if (!fdt)
		die("device tree: out of memory");
	F(fdt_create(fdt, FDT_SIZE));
	F(fdt_finish_reservemap(fdt));
	F(fdt_begin_node(fdt, ""));
	F(fdt_property_string(fdt, "compatible", "linux,dummy-virt"));
	F(fdt_property_u32(fdt, "#address-cells", 2));
	F(fdt_property_u32(fdt, "#size-cells", 2));
	F(fdt_property_u32(fdt, "interrupt-parent", GIC_PHANDLE));

	F(fdt_begin_node(fdt, "chosen"));
	F(fdt_property_string(fdt, "bootargs", vm->cmdline));
	F(fdt_property_string(fdt, "stdout-path", "/uart@9000000"));
	if (vm->initrd_size) {
		F(fdt_property_u64(fdt, "linux,initrd-start", vm->initrd_gpa));
		F(fdt_property_u64(fdt, "linux,initrd-end",
				   vm->initrd_gpa + vm->initrd_size));
	}
	F(fdt_end_node(fdt));

	snprintf(name, sizeof(name), "memory@%lx", RAM_BASE);
	F(fdt_begin_node(fdt, name));
	F(fdt_property_string(fdt, "device_type", "memory"));
	prop_reg(fdt, RAM_BASE, vm->ram_size);
	F(fdt_end_node(fdt));

	node_cpus(fdt, vm);
	node_gic_timer(fdt, vm);
	node_devices(fdt, vm);

	F(fdt_end_node(fdt));
	F(fdt_finish(fdt));
	*size = fdt_totalsize(fdt);
	return fdt;
}
