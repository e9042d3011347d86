// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's lost-write tests: a config write of a move lost on purpose
 * (the drop file), the message in edu's own registers compared with the
 * one the kernel cached for its interrupt (the stale file), and that
 * comparison after every move while the race loses writes by itself
 * (the natural file).
 *
 * A move writes the message through config space.  Where a CPU coming
 * online can send such a write elsewhere (the cf8 race, scratch.c), the
 * device keeps part of its old message while the kernel believes the
 * new one: a stale message, which delivers to a vector that may belong
 * to nobody.  The stock kernel leaves it there; msi_affinity reads back
 * what it wrote and writes it again (its heals counter).
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "edu.h"

/* One look at edu's message and the kernel's cache of it. */
struct look {
	u32 dev_lo, cache_lo;
	u16 dev_data, cache_data;
};

/* Does edu hold the message the kernel cached for its interrupt? */
static bool msg_matches(struct edu *edu, struct look *l)
{
	struct irq_data *d = irq_get_irq_data(edu->irq);
	struct irq_desc *desc = irq_data_to_desc(d);
	struct msi_desc *md;
	unsigned long flags;
	bool same = false;
	u32 hi;

	edu_read_msg(edu, &l->dev_lo, &hi, &l->dev_data);
	raw_spin_lock_irqsave(&desc->lock, flags);
	md = irq_data_get_msi_desc(d);
	if (md) {
		l->cache_lo = md->msg.address_lo;
		l->cache_data = md->msg.data;
		same = l->cache_lo == l->dev_lo && l->cache_data == l->dev_data;
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	return same;
}

/*
 * The reads can be sent elsewhere too: a message is stale only if a
 * second look, a moment later, finds it still different.
 */
static bool msg_stale(struct edu *edu, struct look *l)
{
	if (msg_matches(edu, l))
		return false;
	usleep_range(10, 20);
	return !msg_matches(edu, l);
}

/**
 * edu_drop_write() - lose one armed write to edu's MSI capability
 * @edu: the device
 * @regs: the registers at pci_bus_write_config_*()'s entry
 * @off: the write's offset in the capability
 *
 * Context: the entry probe of a config write to edu's MSI capability,
 * made under the interrupt's descriptor lock by whoever moves it.
 *
 * The armed register's next write that changes it is lost: it leaves
 * the register as it was, so the value argument is replaced by the old
 * content, the kernel's cached message, which the stock kernel and
 * msi_affinity both update only after their writes.
 */
void edu_drop_write(struct edu *edu, struct pt_regs *regs, int off)
{
	struct msi_desc *md = irq_get_msi_desc(edu->irq);
	int armed = atomic_read(&edu->drop_off);
	u32 old, val;

	BUILD_BUG_ON(!IS_ENABLED(CONFIG_X86_64));
	if (!md)
		return;
	if (!armed) {
		/* Written again after the loss, as a heal or a second step. */
		if (off == atomic_read(&edu->drop_last))
			atomic_inc(&edu->rewrites);
		return;
	}
	if (off != armed)
		return;
	/* x86-64: the fourth argument, the value, is in rcx. */
	if (off == PCI_MSI_ADDRESS_LO) {
		old = md->msg.address_lo;
		val = (u32)regs->cx;
	} else {
		old = (u16)md->msg.data;
		val = (u16)regs->cx;
	}
	/* Only one write is lost, whoever else writes meanwhile. */
	if (val == old || atomic_cmpxchg(&edu->drop_off, armed, 0) != armed)
		return;
	atomic_set(&edu->drop_last, off);
	regs->cx = old;
	atomic_inc(&edu->dropped);
}

/*
 * Write "lo" or "data": the next write that changes edu's message
 * address (low word) or data register is lost; "none" disarms.  Either
 * starts the count of writes to the lost register after the loss
 * (rewritten): a heal, or a kernel that writes it twice per move.
 */
static ssize_t drop_write(struct file *f, const char __user *buf,
			  size_t len, loff_t *pos)
{
	struct edu *edu = ((struct seq_file *)f->private_data)->private;
	char tmp[8];
	int off;

	if (len >= sizeof(tmp) || copy_from_user(tmp, buf, len))
		return -EINVAL;
	tmp[len] = '\0';
	if (sysfs_streq(tmp, "lo"))
		off = PCI_MSI_ADDRESS_LO;
	else if (sysfs_streq(tmp, "data"))
		off = PCI_MSI_DATA_64;
	else if (sysfs_streq(tmp, "none"))
		off = 0;
	else
		return -EINVAL;
	atomic_set(&edu->drop_last, 0);
	atomic_set(&edu->rewrites, 0);
	atomic_set(&edu->drop_off, off);
	return len;
}

static int drop_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;

	seq_printf(sf, "armed %d dropped %d rewritten %d\n",
		   atomic_read(&edu->drop_off), atomic_read(&edu->dropped),
		   atomic_read(&edu->rewrites));
	return 0;
}

EDU_RW_FOPS(drop);

/* Whether edu holds its cached message now, and both messages. */
static int stale_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;
	struct look l = {};
	bool stale = msg_stale(edu, &l);

	seq_printf(sf, "stale %d device %08x/%04x kernel %08x/%04x\n", stale,
		   l.dev_lo, l.dev_data, l.cache_lo, l.cache_data);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(stale);

/*
 * Write the kernel's cached message to edu again, under the descriptor
 * lock so that no move interleaves: what a resume does, and what the
 * stock kernel needs after a lost write, since x86 moves this interrupt
 * only in its ack, which a stale message may never bring.
 */
static void rewrite_msg(struct edu *edu)
{
	struct irq_data *d = irq_get_irq_data(edu->irq);
	struct irq_desc *desc = irq_data_to_desc(d);
	struct msi_desc *md;
	unsigned long flags;

	raw_spin_lock_irqsave(&desc->lock, flags);
	md = irq_data_get_msi_desc(d);
	if (md)
		pci_write_msi_msg(edu->irq, &md->msg);
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

/*
 * Write N: N moves of edu's interrupt round the online CPUs, as migrate
 * makes them, each followed by a look at the device: a stale message
 * is counted, kept for the reader, and written again.  For the race
 * that loses writes by itself (natural_race), where a move that leaves
 * one behind is rare and the next move would otherwise hide it.
 */
static ssize_t natural_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct edu *edu = ((struct seq_file *)f->private_data)->private;
	unsigned int n, i, cpu;
	struct look l = {};
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &n);
	if (ret)
		return ret;
	if (mutex_lock_interruptible(&edu->nat_lock))
		return -EINTR;
	cpu = cpumask_first(irq_get_effective_affinity_mask(edu->irq));
	for (i = 0; i < n && !signal_pending(current); i++) {
		cpu = edu_next_cpu(cpu);
		edu_move_to(edu, cpu);
		edu->nat_moves++;
		if (!msg_stale(edu, &l))
			continue;
		edu->nat_stale++;
		edu->nat_dev_lo = l.dev_lo;
		edu->nat_dev_data = l.dev_data;
		edu->nat_cache_lo = l.cache_lo;
		edu->nat_cache_data = l.cache_data;
		rewrite_msg(edu);
	}
	mutex_unlock(&edu->nat_lock);
	return i == n ? len : -EINTR;
}

static int natural_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;

	if (mutex_lock_interruptible(&edu->nat_lock))
		return -EINTR;
	seq_printf(sf, "moves %u stale %u last device %08x/%04x kernel %08x/%04x\n",
		   edu->nat_moves, edu->nat_stale, edu->nat_dev_lo,
		   edu->nat_dev_data, edu->nat_cache_lo, edu->nat_cache_data);
	mutex_unlock(&edu->nat_lock);
	return 0;
}

EDU_RW_FOPS(natural);

/**
 * edu_lost_write_debugfs() - create the drop, stale and natural files
 * @edu: the device, whose directory is made
 */
void edu_lost_write_debugfs(struct edu *edu)
{
	debugfs_create_file("drop", 0600, edu->dir, edu, &drop_fops);
	debugfs_create_file("stale", 0400, edu->dir, edu, &stale_fops);
	debugfs_create_file("natural", 0600, edu->dir, edu, &natural_fops);
}
