// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's loss attribution: raising an interrupt and waiting for it
 * (fire, and every raise the other files wait for), recording a raise
 * that timed out with what could have lost it, and telling whether
 * msi_affinity's chip or the kernel's served edu's interrupt, so that
 * each loss is charged to one or the other.  The losses file prints the
 * records, with the move history and config writes the probes keep.
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>
#include "edu.h"

/*
 * Is @fn msi_affinity's hook (rather than the kernel's msi_set_affinity,
 * or another chip's own function)?  Named once per function address
 * through kallsyms; nothing is called.
 */
static bool is_hook_fn(struct edu *edu, void *fn)
{
	char name[KSYM_SYMBOL_LEN];

	if (fn == READ_ONCE(edu->stock_fn))
		return false;
	if (fn == READ_ONCE(edu->hook_fn))
		return true;
	sprint_symbol_no_offset(name, (unsigned long)fn);
	if (!strcmp(name, "msia_set_affinity [msi_affinity]")) {
		WRITE_ONCE(edu->hook_fn, fn);
		return true;
	}
	WRITE_ONCE(edu->stock_fn, fn);
	return false;
}

/**
 * edu_hooked() - does msi_affinity's chip serve @irq now?
 * @edu: the device, which names the chip functions once
 * @irq: the interrupt
 *
 * Read under its lock.
 *
 * Return: true if @irq's chip is msi_affinity's.
 */
bool edu_hooked(struct edu *edu, unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);
	struct irq_desc *desc;
	unsigned long flags;
	void *fn;

	if (!d)
		return false;
	desc = irq_data_to_desc(d);
	raw_spin_lock_irqsave(&desc->lock, flags);
	fn = d->chip ? d->chip->irq_set_affinity : NULL;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	return fn && is_hook_fn(edu, fn);
}

/**
 * chip_hooked() - whether msi_affinity's chip served @d
 * @edu: the device, which names the chip functions once
 * @d: the interrupt, its descriptor lock held
 *
 * Return: true if @d's chip is msi_affinity's.
 */
bool chip_hooked(struct edu *edu, struct irq_data *d)
{
	return d->chip && is_hook_fn(edu, d->chip->irq_set_affinity);
}

/*
 * A loss is msi_affinity's if its chip served the interrupt at the raise
 * or at the timeout, if it moved the interrupt in between, or if the
 * message the device holds was last written by it (whether or not the
 * kernel's cache agrees).  Anything else happened on the stock kernel's
 * paths alone.
 */
static bool loss_hooked(const struct loss_rec *r)
{
	return r->hooked_at_raise || r->hooked_at_timeout || r->hooked_move ||
	       r->last.hooked;
}

/* A raise timed out: record the window it fell in. */
static void edu_record_loss(struct edu *edu, bool hooked_at_raise,
			    u64 hooked_moves0, u64 moves0)
{
	struct irq_data *d = irq_get_irq_data(edu->irq);
	struct irq_desc *desc = irq_data_to_desc(d);
	struct loss_rec r = {
		.raise_seq = moves0,
		.hooked_at_raise = hooked_at_raise,
	};
	struct msi_desc *md;
	unsigned long flags;
	u32 hi;

	r.hooked_at_timeout = edu_hooked(edu, edu->irq);
	r.hooked_move = atomic64_read(&edu->hooked_moves) != hooked_moves0;
	edu_read_msg(edu, &r.dev_lo, &hi, &r.dev_data);
	raw_spin_lock_irqsave(&desc->lock, flags);
	md = irq_data_get_msi_desc(d);
	r.stale = md && (md->msg.address_lo != r.dev_lo ||
			 (u16)md->msg.data != r.dev_data);
	r.eff_cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));
	r.vector = irqd_cfg(d)->vector;
	r.last = edu->last;
	raw_spin_unlock_irqrestore(&desc->lock, flags);

	if (loss_hooked(&r))
		atomic_inc(&edu->lost_hooked);
	else
		atomic_inc(&edu->lost_stock);
	mutex_lock(&edu->fire_lock);
	edu->losses[edu->nr_losses++ % LOSS_MAX] = r;
	mutex_unlock(&edu->fire_lock);
}

/* edu's MSI capability is 64-bit: name a register by its offset. */
static const char *msi_reg_name(int off)
{
	switch (off) {
	case PCI_MSI_FLAGS:
		return "flags";
	case PCI_MSI_ADDRESS_LO:
		return "address";
	case PCI_MSI_ADDRESS_HI:
		return "address-hi";
	case PCI_MSI_DATA_64:
		return "data";
	default:
		return "-";
	}
}

static int losses_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;
	unsigned int i, first, n;

	mutex_lock(&edu->fire_lock);
	first = edu->nr_losses > LOSS_MAX ? edu->nr_losses - LOSS_MAX : 0;
	for (i = first; i < edu->nr_losses; i++) {
		const struct loss_rec *r = &edu->losses[i % LOSS_MAX];

		seq_printf(sf, "loss %u window %s hooked_raise %d hooked_timeout %d hooked_move %d device_lo %08x device_data %04x stale %d kernel_cpu %u kernel_vector %u moves_before %llu last_move %llu by %s ctx %s cpu %u kind %s msi_writes %d first_write %s\n",
			   i, loss_hooked(r) ? "hooked" : "stock",
			   r->hooked_at_raise, r->hooked_at_timeout,
			   r->hooked_move, r->dev_lo, r->dev_data, r->stale,
			   r->eff_cpu, r->vector, r->raise_seq, r->last.seq,
			   r->last.hooked ? "msi_affinity" : "kernel",
			   r->last.ctx ?: "-", r->last.cpu,
			   r->last.kind ?: "-", r->last.writes,
			   msi_reg_name(r->last.first_off));
	}
	mutex_unlock(&edu->fire_lock);
	if (!edu->nr_losses)
		return 0;
	seq_printf(sf, "move_probe nmissed %d kp_nmissed %lu\n", move_probe.nmissed,
		   move_probe.kp.nmissed);
	for (i = 0; i < HIST_MAX && i < edu->nr_hist; i++) {
		const struct hist_rec *h =
			&edu->hist[(edu->nr_hist - 1 - i) % HIST_MAX];

		seq_printf(sf, "move -%u seq %llu by %s ctx %s cpu %u ret %d cache %08x/%04x -> %08x/%04x device %08x/%04x\n",
			   i, h->seq, h->hooked ? "msi_affinity" : "kernel",
			   h->ctx, h->cpu, h->ret, h->cache_lo_before,
			   h->cache_data_before, h->cache_lo_after,
			   h->cache_data_after, h->dev_lo_after,
			   h->dev_data_after);
	}
	n = atomic_read(&edu->nr_cfgw);
	for (i = 0; i < CFGW_MAX && i < n; i++) {
		const struct cfgw_rec *w = &edu->cfgw[(n - 1 - i) % CFGW_MAX];

		seq_printf(sf, "cfgw -%u ns %llu cpu %u after_move %llu off 0x%x size %u val 0x%x by %pS\n",
			   i, w->ns, w->cpu, w->move, w->off, w->size, w->val,
			   (void *)w->caller);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(losses);

/**
 * edu_fire_one() - raise and wait for the handler
 * @edu: the device
 *
 * A timeout is a lost interrupt: it is counted and recorded.
 *
 * Return: 0 if it was delivered, or -ETIMEDOUT.
 */
int edu_fire_one(struct edu *edu)
{
	u64 hooked_moves0, moves0;
	bool hooked;
	long left;

	mutex_lock(&edu->raise_lock);
	hooked = edu_hooked(edu, edu->irq);
	hooked_moves0 = atomic64_read(&edu->hooked_moves);
	moves0 = atomic64_read(&edu->moves);
	atomic_andnot(EDU_FIRE_BIT, &edu->seen);
	edu_raise(edu, EDU_FIRE_BIT);
	left = wait_event_timeout(edu->wq, atomic_read(&edu->seen) & EDU_FIRE_BIT,
				  msecs_to_jiffies(EDU_WAIT_MS));
	/*
	 * A vCPU the host does not run for a while leaves the message in its
	 * IRR, where the next raise to the same vector would merge with it:
	 * two raises, one delivery.  So wait longer before calling it lost,
	 * and count a late one apart.
	 */
	if (!left) {
		left = wait_event_timeout(edu->wq,
					  atomic_read(&edu->seen) & EDU_FIRE_BIT,
					  msecs_to_jiffies(EDU_LATE_MS));
		if (left)
			atomic_inc(&edu->late);
	}
	if (!left) {
		atomic_inc(&edu->lost);
		edu_record_loss(edu, hooked, hooked_moves0, moves0);
		/* Clear the stale status so the next raise is seen on its own. */
		writel(readl(edu->bar + EDU_REG_IRQ_STATUS),
		       edu->bar + EDU_REG_IRQ_ACK);
	}
	mutex_unlock(&edu->raise_lock);
	return left ? 0 : -ETIMEDOUT;
}

/**
 * edu_losses_debugfs() - create the losses file
 * @edu: the device, whose directory is made
 */
void edu_losses_debugfs(struct edu *edu)
{
	debugfs_create_file("losses", 0444, edu->dir, edu, &losses_fops);
}
