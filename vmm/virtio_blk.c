// SPDX-License-Identifier: GPL-2.0-only
/*
 * A virtio-blk disk over a file, on a virtio-mmio (version 2) transport,
 * with one split virtqueue served when the guest notifies it.  The device
 * offers VIRTIO_F_ACCESS_PLATFORM, so that the guest's Linux maps every
 * buffer through the DMA API and with it the restricted DMA pool of the
 * device tree: the only guest memory this device reads or writes is
 * memory that the guest shared.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_mmio.h>
#include <linux/virtio_ring.h>

#include "vmm.h"

#define QUEUE_SIZE	128
#define SECTOR_SIZE	512
#define VENDOR_ID	0x554d4551	/* "QEMU", as most virtio-mmio devices */
#define DEVICE_FEATURES	(1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_F_ACCESS_PLATFORM | \
			 1ULL << VIRTIO_BLK_F_FLUSH)

static struct {
	pthread_mutex_t lock;
	int fd;
	struct virtio_blk_config config;
	uint32_t status, features_sel, driver_features_sel, queue_sel;
	uint64_t driver_features;
	uint32_t interrupt_status;
	/* The one queue. */
	uint32_t num, ready;
	uint64_t desc, avail, used;
	uint16_t last_avail, used_idx;
	bool broken;
} blk = { .lock = PTHREAD_MUTEX_INITIALIZER };

void virtio_blk_init(struct vm *vm)
{
	struct stat st;

	blk.fd = open(vm->disk_path, O_RDWR | O_CLOEXEC);
	if (blk.fd < 0 || fstat(blk.fd, &st))
		die("--disk %s: %s", vm->disk_path, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size % SECTOR_SIZE)
		die("--disk %s: not a regular file of whole %d-byte sectors",
		    vm->disk_path, SECTOR_SIZE);
	blk.config.capacity = st.st_size / SECTOR_SIZE;
}

static void reset(struct vm *vm)
{
	blk.status = blk.driver_features = blk.interrupt_status = 0;
	blk.num = blk.ready = blk.last_avail = blk.used_idx = 0;
	blk.desc = blk.avail = blk.used = 0;
	blk.broken = false;
	vm_irq_line(vm, VIRTIO_SPI, 0);
}

/*
 * The guest broke the protocol: a VMM with one disk can only stop the VM,
 * which would otherwise wait for the request forever.
 */
static void device_error(struct vm *vm, const char *what, uint64_t gpa, uint64_t len)
{
	if (blk.broken)
		return;
	blk.broken = true;
	blk.status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	vm_stop(vm, 1, "virtio-blk: %s (0x%llx+%llu)", what,
		(unsigned long long)gpa, (unsigned long long)len);
}

static void *guest_buf(struct vm *vm, uint64_t gpa, uint64_t len)
{
	void *p = gpa_to_host(vm, gpa, len);

	if (!p || !len)
		device_error(vm, "the guest gave the device a buffer outside its RAM", gpa, len);
	return len ? p : NULL;
}

/* Descriptor @i, read once: the guest may change it while the device works. */
static struct vring_desc read_desc(struct vring_desc *desc, uint16_t i)
{
	volatile struct vring_desc *vd = &desc[i % blk.num];
	struct vring_desc d = {
		.addr = vd->addr, .len = vd->len, .flags = vd->flags, .next = vd->next,
	};

	return d;
}

/* Read or write the disk at @off; the request must fit in the disk. */
static bool disk_io(uint16_t type, void *p, uint32_t len, uint64_t off)
{
	uint64_t size = blk.config.capacity * SECTOR_SIZE;

	if (off > size || len > size - off)
		return false;
	if (type == VIRTIO_BLK_T_IN)
		return pread(blk.fd, p, len, off) == len;
	return pwrite(blk.fd, p, len, off) == len;
}

/* Serve the request whose chain starts at @head; returns the bytes written. */
static uint32_t serve(struct vm *vm, struct vring_desc *desc, uint16_t head)
{
	struct vring_desc d = read_desc(desc, head);
	struct virtio_blk_outhdr hdr;
	uint8_t status = VIRTIO_BLK_S_OK;
	uint32_t written = 0;
	uint64_t off;
	void *p;
	int n;

	p = guest_buf(vm, d.addr, d.len);
	if (!p || d.len < sizeof(hdr) || !(d.flags & VRING_DESC_F_NEXT)) {
		device_error(vm, "request without a header", d.addr, d.len);
		return 0;
	}
	memcpy(&hdr, p, sizeof(hdr));
	if (hdr.sector > blk.config.capacity)
		status = VIRTIO_BLK_S_IOERR;
	off = hdr.sector * SECTOR_SIZE;

	for (n = 0; n < QUEUE_SIZE; n++) {
		d = read_desc(desc, d.next);
		p = guest_buf(vm, d.addr, d.len);
		if (!p)
			return 0;
		if (!(d.flags & VRING_DESC_F_NEXT)) {
			/* The last descriptor: the status byte. */
			if (hdr.type == VIRTIO_BLK_T_FLUSH && status == VIRTIO_BLK_S_OK &&
			    fdatasync(blk.fd))
				status = VIRTIO_BLK_S_IOERR;
			*(uint8_t *)p = status;
			return written + 1;
		}
		if (status != VIRTIO_BLK_S_OK)
			continue;
		switch (hdr.type) {
		case VIRTIO_BLK_T_IN:
		case VIRTIO_BLK_T_OUT:
			if (!disk_io(hdr.type, p, d.len, off))
				status = VIRTIO_BLK_S_IOERR;
			else if (hdr.type == VIRTIO_BLK_T_IN)
				written += d.len;
			off += d.len;
			break;
		case VIRTIO_BLK_T_GET_ID:
			memset(p, 0, d.len);
			memcpy(p, "vmm-disk", d.len < 8 ? d.len : 8);
			written += d.len;
			break;
		default:
			status = VIRTIO_BLK_S_UNSUPP;
		}
	}
	device_error(vm, "request chain too long", d.addr, d.len);
	return 0;
}

/* Serve the requests the guest made available; called by notify(). */
static void serve_queue(void *arg)
{
	struct vm *vm = arg;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t head, idx;

	desc = guest_buf(vm, blk.desc, sizeof(*desc) * blk.num);
	avail = guest_buf(vm, blk.avail, sizeof(*avail) + 2 * blk.num);
	used = guest_buf(vm, blk.used, sizeof(*used) + sizeof(used->ring[0]) * blk.num);
	if (!desc || !avail || !used)
		return;

	idx = __atomic_load_n(&avail->idx, __ATOMIC_ACQUIRE);
	while (blk.last_avail != idx && !blk.broken) {
		struct vring_used_elem *e;

		head = avail->ring[blk.last_avail % blk.num] % blk.num;
		e = &used->ring[blk.used_idx % blk.num];
		e->id = head;
		e->len = serve(vm, desc, head);
		__atomic_store_n(&used->idx, ++blk.used_idx, __ATOMIC_RELEASE);
		blk.last_avail++;
		blk.interrupt_status |= VIRTIO_MMIO_INT_VRING;
	}
}

static void notify(struct vm *vm)
{
	if (!blk.ready || blk.broken)
		return;
	/* A protected guest can hand the device a private page: SIGBUS. */
	if (guest_access(serve_queue, vm))
		device_error(vm, "the guest gave the device memory it didn't share",
			     blk.desc, blk.num);
	if (blk.interrupt_status)
		vm_irq_line(vm, VIRTIO_SPI, 1);
}

static uint32_t reg_read(uint64_t offset)
{
	switch (offset) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return 0x74726976;	/* "virt" */
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_DEVICE_ID:
		return VIRTIO_ID_BLOCK;
	case VIRTIO_MMIO_VENDOR_ID:
		return VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return blk.features_sel > 1 ? 0 : DEVICE_FEATURES >> (32 * blk.features_sel);
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return blk.queue_sel ? 0 : QUEUE_SIZE;
	case VIRTIO_MMIO_QUEUE_READY:
		return blk.queue_sel ? 0 : blk.ready;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return blk.interrupt_status;
	case VIRTIO_MMIO_STATUS:
		return blk.status;
	default:
		return 0;
	}
}

/* Set the low or high 32 bits of @v. */
static void set_half(uint64_t *v, uint32_t val, bool high)
{
	if (high)
		*v = (*v & 0xffffffffULL) | (uint64_t)val << 32;
	else
		*v = (*v & ~0xffffffffULL) | val;
}

/* The queue address that the register at @offset (low or high half) sets. */
static uint64_t *queue_addr(uint64_t offset)
{
	switch (offset & ~4ULL) {
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
		return &blk.desc;
	case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
		return &blk.avail;
	case VIRTIO_MMIO_QUEUE_USED_LOW:
		return &blk.used;
	default:
		return NULL;
	}
}

static void reg_write(struct vm *vm, uint64_t offset, uint32_t val)
{
	uint64_t *addr;

	switch (offset) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		blk.features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		blk.driver_features_sel = val;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (blk.driver_features_sel < 2)
			set_half(&blk.driver_features, val, blk.driver_features_sel);
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		blk.queue_sel = val;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (!blk.queue_sel && val && val <= QUEUE_SIZE && !(val & (val - 1)))
			blk.num = val;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		/* The device reads the rings with aligned atomics. */
		if (!blk.queue_sel)
			blk.ready = val & 1 && blk.num && !(blk.desc % 16) &&
				    !(blk.avail % 2) && !(blk.used % 4);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		if (!val)
			notify(vm);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		blk.interrupt_status &= ~val;
		if (!blk.interrupt_status)
			vm_irq_line(vm, VIRTIO_SPI, 0);
		break;
	case VIRTIO_MMIO_STATUS:
		if (!val) {
			reset(vm);
			break;
		}
		/* Features the device doesn't offer, or no VERSION_1: refuse. */
		if (val & VIRTIO_CONFIG_S_FEATURES_OK &&
		    ((blk.driver_features & ~DEVICE_FEATURES) ||
		     !(blk.driver_features & 1ULL << VIRTIO_F_VERSION_1)))
			val &= ~VIRTIO_CONFIG_S_FEATURES_OK;
		blk.status = val;
		break;
	default:
		addr = queue_addr(offset);
		if (addr && !blk.queue_sel)
			set_half(addr, val, offset & 4);
	}
}

void virtio_mmio(struct vm *vm, uint64_t offset, uint8_t *data, int len, bool write)
{
	uint32_t val = 0;

	pthread_mutex_lock(&blk.lock);
	if (offset >= VIRTIO_MMIO_CONFIG) {
		/* The configuration space: read-only. */
		offset -= VIRTIO_MMIO_CONFIG;
		if (!write && offset + len <= sizeof(blk.config))
			memcpy(data, (uint8_t *)&blk.config + offset, len);
		else if (!write)
			memset(data, 0, len);
	} else if (len != 4) {
		/* The transport's registers are 32-bit. */
		if (!write)
			memset(data, 0, len);
	} else if (write) {
		memcpy(&val, data, 4);
		reg_write(vm, offset, val);
	} else {
		val = reg_read(offset);
		memcpy(data, &val, 4);
	}
	pthread_mutex_unlock(&blk.lock);
}
