// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's benchmark figures: the per-kind move timings the move
 * probe records (struct bench: their arrays, reset and the bench file)
 * and what one config access costs (the cfgcost file), which is what a
 * move's time is compared with.
 */
#include <linux/debugfs.h>
#include <linux/irqflags.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include "edu.h"

/* The name of each move_kind, as the bench file prints it. */
const char * const kind_names[NR_KINDS] = {
	"cpu+vector", "cpu-only", "vector-only", "none", "failed",
};

/**
 * edu_bench_init() - allocate the move timings
 * @edu: the device
 *
 * What is allocated before a failure is left to edu_free_bench().
 *
 * Return: 0, or -ENOMEM.
 */
int edu_bench_init(struct edu *edu)
{
	struct bench *b = &edu->bench;
	int k;

	raw_spin_lock_init(&b->lock);
	for (k = 0; k < NR_KINDS; k++) {
		b->ns[k] = kvmalloc_array(BENCH_MAX, sizeof(u32), GFP_KERNEL);
		if (!b->ns[k])
			return -ENOMEM;
	}
	return 0;
}

/**
 * edu_free_bench() - free the move timings
 * @edu: the device, which the probes no longer see
 */
void edu_free_bench(struct edu *edu)
{
	int k;

	for (k = 0; k < NR_KINDS; k++)
		kvfree(edu->bench.ns[k]);
}

/**
 * bench_reset() - forget the recorded moves
 * @edu: the device
 *
 * The offline figures are kept.
 */
void bench_reset(struct edu *edu)
{
	struct bench *b = &edu->bench;
	unsigned long flags;
	int k;

	raw_spin_lock_irqsave(&b->lock, flags);
	for (k = 0; k < NR_KINDS; k++) {
		b->n[k] = 0;
		b->reads[k] = 0;
		b->writes[k] = 0;
		b->mmio[k] = 0;
		b->msgs[k] = 0;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int bench_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;
	struct bench *b = &edu->bench;
	unsigned long flags;
	unsigned int n;
	u64 r, w, m, g;
	u32 *copy;
	int k;

	copy = kvmalloc_array(BENCH_MAX, sizeof(u32), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	for (k = 0; k < NR_KINDS; k++) {
		raw_spin_lock_irqsave(&b->lock, flags);
		n = b->n[k];
		r = b->reads[k];
		w = b->writes[k];
		m = b->mmio[k];
		g = b->msgs[k];
		if (n)
			memcpy(copy, b->ns[k], n * sizeof(u32));
		raw_spin_unlock_irqrestore(&b->lock, flags);
		if (!n)
			continue;
		sort(copy, n, sizeof(u32), cmp_u32, NULL);
		seq_printf(sf, "move %s n %u reads %llu writes %llu mmio %llu p50_ns %u p99_ns %u msgs %llu\n",
			   kind_names[k], n, r, w, m, copy[n / 2],
			   copy[min(n - 1, n * 99 / 100)], g);
	}
	kvfree(copy);
	seq_printf(sf, "offline ns %llu vectors %u\n", b->offline_ns,
		   b->offline_vectors);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bench);

/*
 * What one config access costs here, on the same path the moves take
 * (with this driver's counting probes): the fixed part of a move, the
 * vector domain's, is what remains of its time after the accesses.
 */
static u64 cost_read_ns, cost_write_ns;

static ssize_t cfgcost_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct edu *edu = ((struct seq_file *)f->private_data)->private;
	unsigned int n, i;
	u64 t0, t1, t2;
	unsigned long flags;
	u16 data;
	u8 old;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &n);
	if (ret || !n || n > 10000)
		return ret ?: -EINVAL;
	pci_read_config_byte(edu->pdev, PCI_INTERRUPT_LINE, &old);
	/* Interrupts off, as in the ack path and fixup_irqs(). */
	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		pci_read_config_word(edu->pdev, edu->pdev->msi_cap + PCI_MSI_DATA_64,
				     &data);
	t1 = ktime_get_ns();
	for (i = 0; i < n; i++)
		pci_write_config_byte(edu->pdev, PCI_INTERRUPT_LINE, old);
	t2 = ktime_get_ns();
	local_irq_restore(flags);
	WRITE_ONCE(cost_read_ns, div_u64(t1 - t0, n));
	WRITE_ONCE(cost_write_ns, div_u64(t2 - t1, n));
	return len;
}

static int cfgcost_show(struct seq_file *sf, void *unused)
{
	seq_printf(sf, "read_ns %llu write_ns %llu\n", READ_ONCE(cost_read_ns),
		   READ_ONCE(cost_write_ns));
	return 0;
}

EDU_RW_FOPS(cfgcost);

/**
 * edu_bench_debugfs() - create the bench and cfgcost files
 * @edu: the device, whose directory is made
 */
void edu_bench_debugfs(struct edu *edu)
{
	debugfs_create_file("bench", 0444, edu->dir, edu, &bench_fops);
	debugfs_create_file("cfgcost", 0600, edu->dir, edu, &cfgcost_fops);
}
