// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's hardware watchpoints on one MSI-X table entry (the mmio
 * file): they count the accesses every CPU makes to it, which the move
 * probe sums per move, so that what a move costs in MMIO is measured,
 * not taken from the code that makes it.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/hw_breakpoint.h>
#include <linux/irq.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/perf_event.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <msi_affinity/compat.h>
#include "edu.h"

/*
 * MSI-X table accesses, counted by the CPU's own debug registers: a
 * data watchpoint traps after every load or store that touches the
 * watched bytes, whoever makes it (the kernel's __pci_write_msi_msg()
 * or msi_affinity), so the count is exact and not taken from either's
 * code.  Two 8-byte watchpoints cover the 16-byte entry.  x86 has no
 * read-only watchpoint, and QEMU reports only the first of several
 * watchpoints one access hits, so writes and all accesses are counted
 * in separate runs, never together.  mmio_lock (a mutex: debugfs
 * writers only) serialises arming against disarming.
 */
static DEFINE_MUTEX(mmio_lock);
static struct perf_event * __percpu *mmio_bp[2];
/* Never reset, so that a move in flight while arming sums no negative. */
atomic_long_t mmio_hits;
static long mmio_base;		/* mmio_hits when last armed */
static unsigned int mmio_irq;
static const char *mmio_type = "off";

static void mmio_hit(struct perf_event *bp, struct perf_sample_data *data,
		     struct pt_regs *regs)
{
	atomic_long_inc(&mmio_hits);
}

static void mmio_disarm(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mmio_bp); i++) {
		if (mmio_bp[i])
			unregister_wide_hw_breakpoint(mmio_bp[i]);
		mmio_bp[i] = NULL;
	}
	mmio_type = "off";
}

/* Watch IRQ's MSI-X table entry for writes (@rw false) or any access. */
static int mmio_arm(unsigned int irq, bool rw)
{
	struct perf_event * __percpu *bp;
	struct perf_event_attr attr;
	struct msi_desc *desc;
	void __iomem *entry;
	int i;

	desc = irq_get_msi_desc(irq);
	if (!desc || !dev_is_pci(desc->dev) || !desc->pci.msi_attrib.is_msix ||
	    desc->pci.msi_attrib.is_virtual || !desc->pci.mask_base)
		return -EINVAL;
	entry = desc->pci.mask_base + desc->msi_index * PCI_MSIX_ENTRY_SIZE;
	mmio_base = atomic_long_read(&mmio_hits);
	for (i = 0; i < ARRAY_SIZE(mmio_bp); i++) {
		hw_breakpoint_init(&attr);
		attr.bp_addr = (unsigned long)entry + i * HW_BREAKPOINT_LEN_8;
		attr.bp_len = HW_BREAKPOINT_LEN_8;
		attr.bp_type = rw ? HW_BREAKPOINT_RW : HW_BREAKPOINT_W;
		bp = register_wide_hw_breakpoint(&attr, mmio_hit, NULL);
		if (!bp || MSIA_IS_ERR_PCPU(bp)) {
			mmio_disarm();
			return bp ? MSIA_PTR_ERR_PCPU(bp) : -EOPNOTSUPP;
		}
		mmio_bp[i] = bp;
	}
	mmio_irq = irq;
	mmio_type = rw ? "rw" : "w";
	return 0;
}

static ssize_t mmio_write(struct file *f, const char __user *buf,
			  size_t len, loff_t *pos)
{
	char kbuf[32], type[4] = "";
	unsigned int irq;
	int ret, n;

	if (len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, buf, len))
		return -EFAULT;
	kbuf[len] = '\0';
	n = sscanf(kbuf, "%u %3s", &irq, type);
	if (n < 1 || (irq && (n != 2 || (strcmp(type, "w") && strcmp(type, "rw")))))
		return -EINVAL;
	mutex_lock(&mmio_lock);
	mmio_disarm();
	ret = irq ? mmio_arm(irq, !strcmp(type, "rw")) : 0;
	mutex_unlock(&mmio_lock);
	return ret ?: len;
}

static int mmio_show(struct seq_file *sf, void *unused)
{
	mutex_lock(&mmio_lock);
	seq_printf(sf, "irq %u type %s hits %ld\n", mmio_irq, mmio_type,
		   atomic_long_read(&mmio_hits) - mmio_base);
	mutex_unlock(&mmio_lock);
	return 0;
}

EDU_RW_FOPS(mmio);

/**
 * edu_mmio_stop() - remove the watchpoints, if armed
 *
 * Context: unload, before the driver goes: the watchpoints outlive the
 * device.
 */
void edu_mmio_stop(void)
{
	mutex_lock(&mmio_lock);
	mmio_disarm();
	mutex_unlock(&mmio_lock);
}

/**
 * edu_mmio_debugfs() - create the mmio file
 * @edu: the device, whose directory is made
 */
void edu_mmio_debugfs(struct edu *edu)
{
	debugfs_create_file("mmio", 0600, edu->dir, edu, &mmio_fops);
}
