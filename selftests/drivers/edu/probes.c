// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's kretprobes.  The config probes count every config access
 * to the watched device, keep the writes to edu's MSI capability, and
 * raise the injected interrupt right after the K-th of them (the
 * inject file).  The move probe times each move of the watched
 * interrupt for the bench file and records each move of edu's own for
 * the losses file.  They find the device through the_edu alone: a
 * kretprobe has no context pointer.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/irq.h>
#include <linux/kprobes.h>
#include <linux/minmax.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include "edu.h"

struct cfg_args {
	struct pci_bus *bus;
	unsigned int devfn;
	int where;
};

/* Config accesses are counted for the watched device (edu by default). */
static bool is_edu(const struct cfg_args *a)
{
	struct edu *edu = READ_ONCE(the_edu);
	struct pci_dev *dev = edu ? READ_ONCE(edu->watch_dev) : NULL;

	return dev && a->bus == dev->bus && a->devfn == dev->devfn;
}

static int cfg_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;

	a->bus = (struct pci_bus *)regs_get_kernel_argument(regs, 0);
	a->devfn = regs_get_kernel_argument(regs, 1);
	a->where = regs_get_kernel_argument(regs, 2);
	return is_edu(a) ? 0 : 1;	/* 1: no return probe for others */
}

/*
 * Keep every write to edu's MSI capability, with the address it returns
 * to (at the entry probe the return address is on top of the stack), so
 * a loss shows which code wrote the message the device was left with.
 */
static int cfg_write_entry(struct kretprobe_instance *ri, struct pt_regs *regs,
			   unsigned int size)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct cfgw_rec *w;
	int cap;

	if (cfg_entry(ri, regs))
		return 1;
	cap = edu->pdev->msi_cap;
	if (READ_ONCE(edu->watch_dev) != edu->pdev || !cap || a->where < cap ||
	    a->where >= cap + PCI_MSI_MASK_64)
		return 0;
	w = &edu->cfgw[(atomic_inc_return(&edu->nr_cfgw) - 1) % CFGW_MAX];
	/* A probe handler may run in the int3 trap, which is NMI-like. */
	w->ns = ktime_get_mono_fast_ns();
	w->caller = regs_get_kernel_stack_nth(regs, 0);
	w->move = READ_ONCE(edu->nr_hist);
	w->val = regs_get_kernel_argument(regs, 3);
	w->off = a->where - cap;
	w->size = size;
	w->cpu = smp_processor_id();
	edu_drop_write(edu, regs, a->where - cap);
	return 0;
}

static int cfg_entry_b(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return cfg_write_entry(ri, regs, 1);
}

static int cfg_entry_w(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return cfg_write_entry(ri, regs, 2);
}

static int cfg_entry_l(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return cfg_write_entry(ri, regs, 4);
}

static int cfg_write_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct pci_dev *wd;
	int cap, wcap, k;

	/* The device may have gone between the entry and the return. */
	if (!edu)
		return 0;
	cap = edu->pdev->msi_cap;
	wd = READ_ONCE(edu->watch_dev);
	wcap = wd->msi_cap;
	atomic_inc(&edu->cfg_writes);
	/* A sleeping function's MSI registers are the kernel's to restore. */
	if (wcap && a->where >= wcap && a->where < wcap + PCI_MSI_MASK_64 &&
	    wd->current_state != PCI_D0)
		atomic_inc(&edu->msi_writes_not_d0);
	/* Injection counts only writes to edu's own MSI capability. */
	if (wd != edu->pdev || !cap || a->where < cap ||
	    a->where >= cap + PCI_MSI_MASK_64)
		return 0;
	atomic_inc(&edu->msi_writes);
	if (atomic_inc_return(&edu->mv_writes) == 1)
		atomic_set(&edu->mv_first_off, a->where - cap);
	k = atomic_read(&edu->armed_k);
	if (!k || atomic_inc_return(&edu->armed_writes) != k)
		return 0;
	atomic_set(&edu->armed_k, 0);
	atomic_inc(&edu->injected);
	edu_raise(edu, EDU_INJECT_BIT);
	return 0;
}

static int cfg_read_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct edu *edu = READ_ONCE(the_edu);

	if (edu)
		atomic_inc(&edu->cfg_reads);
	return 0;
}

#define CFG_PROBE(sym, entry_fn, ret_fn) {			\
	.kp.symbol_name = sym,					\
	.entry_handler = entry_fn,				\
	.handler = ret_fn,						\
	.data_size = sizeof(struct cfg_args),			\
	.maxactive = 16,					\
}

static struct kretprobe cfg_probes[] = {
	CFG_PROBE("pci_bus_write_config_byte", cfg_entry_b, cfg_write_ret),
	CFG_PROBE("pci_bus_write_config_word", cfg_entry_w, cfg_write_ret),
	CFG_PROBE("pci_bus_write_config_dword", cfg_entry_l, cfg_write_ret),
	CFG_PROBE("pci_bus_read_config_byte", cfg_entry, cfg_read_ret),
	CFG_PROBE("pci_bus_read_config_word", cfg_entry, cfg_read_ret),
	CFG_PROBE("pci_bus_read_config_dword", cfg_entry, cfg_read_ret),
};

static struct kretprobe *cfg_probe_ptrs[ARRAY_SIZE(cfg_probes)];

/*
 * Whole message writes of the watched interrupt, whatever carries them
 * (config space for MSI, the table for MSI-X): one per move on the
 * kernel's one-step path, two on its two-step path.  The table
 * watchpoints cannot count these on a dying CPU, whose breakpoints are
 * gone before fixup_irqs() moves its interrupts; a kprobe works on any
 * CPU.
 */
static int msg_write_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct msi_desc *desc = (struct msi_desc *)regs_get_kernel_argument(regs, 0);
	struct edu *edu = READ_ONCE(the_edu);

	if (edu && desc && desc->irq == READ_ONCE(edu->watch_irq))
		atomic_inc(&edu->msg_writes);
	return 0;
}

static struct kprobe msg_probe = {
	.symbol_name = "__pci_write_msi_msg",
	.pre_handler = msg_write_pre,
};

struct move_args {
	struct irq_data *d;
	u64 t0;
	u32 addr_lo, data;
	int reads, writes, msgs;
	long mmio;
};

/*
 * irq_do_set_affinity() calls whichever chip is installed, the kernel's
 * or msi_affinity's, so timing it compares the two at the same point,
 * on the real path (the deferred move in the ack path, or fixup_irqs()).
 */
static int move_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irq_data *d = (struct irq_data *)regs_get_kernel_argument(regs, 0);
	struct move_args *a = (struct move_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct msi_desc *desc;

	/* edu's own moves are always recorded; the watched one is timed. */
	if (!edu || (d->irq != edu->irq && d->irq != READ_ONCE(edu->watch_irq)))
		return 1;
	desc = irq_data_get_msi_desc(d);
	if (!desc)
		return 1;
	if (d->irq == READ_ONCE(edu->watch_irq) &&
	    READ_ONCE(edu->watch_dev)->current_state != PCI_D0)
		atomic_inc(&edu->moves_not_d0);
	a->d = d;
	a->addr_lo = desc->msg.address_lo;
	a->data = desc->msg.data;
	a->reads = atomic_read(&edu->cfg_reads);
	a->writes = atomic_read(&edu->cfg_writes);
	a->msgs = atomic_read(&edu->msg_writes);
	a->mmio = atomic_long_read(&mmio_hits);
	atomic_set(&edu->mv_writes, 0);
	a->t0 = ktime_get_mono_fast_ns();	/* NMI-safe, as above */
	return 0;
}

/* Where a move runs from. */
static const char *move_ctx(void)
{
	return !cpu_online(smp_processor_id()) ? "cpu-offline" :
	       in_hardirq() ? "ack" : "task";
}

/* The move just made, for the loss records (descriptor lock held). */
static void record_move(struct edu *edu, struct irq_data *d,
			enum move_kind kind)
{
	struct move_rec *r = &edu->last;
	/* MSI writes are counted for the watched device only. */
	bool counted = READ_ONCE(edu->watch_dev) == edu->pdev;

	r->seq = atomic64_inc_return(&edu->moves);
	r->hooked = chip_hooked(edu, d);
	if (r->hooked)
		atomic64_inc(&edu->hooked_moves);
	r->ctx = move_ctx();
	r->kind = kind_names[kind];
	r->writes = counted ? atomic_read(&edu->mv_writes) : -1;
	r->first_off = counted && r->writes ? atomic_read(&edu->mv_first_off) : -1;
	r->cpu = smp_processor_id();
}

/* Every call for edu's interrupt, failed ones too (descriptor lock held). */
static void record_hist(struct edu *edu, struct move_args *a,
			struct msi_desc *desc, int ret)
{
	struct hist_rec *h = &edu->hist[edu->nr_hist++ % HIST_MAX];
	u32 hi;

	h->seq = edu->nr_hist;
	h->hooked = chip_hooked(edu, a->d);
	h->ctx = move_ctx();
	h->cpu = smp_processor_id();
	h->cache_lo_before = a->addr_lo;
	h->cache_data_before = a->data;
	h->cache_lo_after = desc->msg.address_lo;
	h->cache_data_after = desc->msg.data;
	h->ret = ret;
	edu_read_msg(edu, &h->dev_lo_after, &hi, &h->dev_data_after);
}

static int move_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	u64 ns = ktime_get_mono_fast_ns();	/* the clock of move_entry() */
	/* unsigned long on x86; irq_do_set_affinity() returns an int in eax */
	int ret = (int)regs_return_value(regs);
	struct move_args *a = (struct move_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct msi_desc *desc;
	enum move_kind kind;
	unsigned long flags;
	struct bench *b;
	bool cpu, vec;

	if (!edu)
		return 0;
	desc = irq_data_get_msi_desc(a->d);
	if (!desc)
		return 0;
	if (a->d->irq == edu->irq)
		record_hist(edu, a, desc, ret);
	if (ret < 0) {
		/* Refused, nothing written: timed apart, not a move. */
		kind = MOVE_FAILED;
	} else {
		cpu = desc->msg.address_lo != a->addr_lo;
		vec = desc->msg.data != a->data;
		kind = cpu ? (vec ? MOVE_CPU_VECTOR : MOVE_CPU) :
			     (vec ? MOVE_VECTOR : MOVE_NONE);
		if (a->d->irq == edu->irq)
			record_move(edu, a->d, kind);
	}
	if (a->d->irq != READ_ONCE(edu->watch_irq))
		return 0;
	b = &edu->bench;
	raw_spin_lock_irqsave(&b->lock, flags);
	if (b->ns[kind] && b->n[kind] < BENCH_MAX) {
		b->ns[kind][b->n[kind]++] = min_t(u64, ns - a->t0, U32_MAX);
		b->reads[kind] += atomic_read(&edu->cfg_reads) - a->reads;
		b->writes[kind] += atomic_read(&edu->cfg_writes) - a->writes;
		b->mmio[kind] += atomic_long_read(&mmio_hits) - a->mmio;
		b->msgs[kind] += atomic_read(&edu->msg_writes) - a->msgs;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return 0;
}

/* Shared: the losses file shows how many moves it missed. */
struct kretprobe move_probe = {
	.kp.symbol_name = "irq_do_set_affinity",
	.entry_handler = move_entry,
	.handler = move_ret,
	.data_size = sizeof(struct move_args),
	.maxactive = 8,
};

/**
 * edu_probes_register() - register the config probes, the message probe,
 * then the move probe
 *
 * Return: 0, or the error of the registration that failed, with none
 * left registered.
 */
int edu_probes_register(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cfg_probes); i++)
		cfg_probe_ptrs[i] = &cfg_probes[i];
	ret = register_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
	if (ret)
		return ret;
	ret = register_kprobe(&msg_probe);
	if (ret)
		goto out_cfg;
	ret = register_kretprobe(&move_probe);
	if (ret)
		goto out_msg;
	return 0;
out_msg:
	unregister_kprobe(&msg_probe);
out_cfg:
	unregister_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
	return ret;
}

/**
 * edu_probes_unregister() - unregister the move probe, the message probe,
 * then the config probes
 */
void edu_probes_unregister(void)
{
	unregister_kretprobe(&move_probe);
	unregister_kprobe(&msg_probe);
	unregister_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
}
