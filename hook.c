// SPDX-License-Identifier: GPL-2.0
/*
 * The hook: each managed interrupt gets its own copy of the kernel's
 * PCI-MSI irq_chip, identical but for irq_set_affinity.  Every affinity
 * change the kernel makes (the deferred move in the ack path,
 * fixup_irqs() on CPU offline, a write to /proc/irq/N/smp_affinity)
 * calls chip->irq_set_affinity with the descriptor lock held, so
 * swapping the chip pointer under that lock routes all of them through
 * the module and leaves every other interrupt, and the shared chip,
 * untouched.
 *
 * Which interrupts: those whose chip's irq_set_affinity is the kernel's
 * x86 msi_set_affinity(), recognised by name through kallsyms (nothing
 * is called through the address).  Any other chip (interrupt remapping,
 * Hyper-V, a chip of a driver) composes or routes its message its own
 * way and is left alone.
 *
 * Lifetime of a chip copy.  The pointer is swapped back under the
 * descriptor lock, so no caller that holds the lock (handle_edge_irq(),
 * every affinity change, fixup_irqs(), /proc/interrupts) can see the
 * copy afterwards.  Some readers load desc->irq_data.chip without that
 * lock and then read a field of it: chip_bus_lock() and
 * chip_bus_sync_unlock() around request_irq(), free_irq(), enable_irq(),
 * disable_irq() and irq_set_irq_type(); irq_request_resources() and
 * irq_release_resources(); __irq_can_set_affinity(); and MSI activation
 * and deactivation, which run with only the MSI descriptor mutex held.
 * None sleeps between the load and the read, but a task may be
 * preempted there, and enable_irq() and disable_irq_nosync() may also
 * run in hard interrupt context, on any task including idle.
 *
 * So a copy is freed in two stages: call_rcu_tasks() waits until every
 * task has passed a voluntary context switch or user mode (a preempted
 * task has not), then kfree_rcu() waits out every interrupt-disabled
 * region, which covers the hard interrupt readers whatever task they
 * interrupted.  Unload waits for the first stage with
 * rcu_barrier_tasks(), which keeps the callback's own text alive; the
 * second stage runs no code of this module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/hw_irq.h>
#include <asm/irq_vectors.h>
#include <asm/irqdomain.h>
#include <msi_affinity/compat.h>
#include <msi_affinity/module.h>
#include <msi_affinity/x86.h>

#define CREATE_TRACE_POINTS
#include <msi_affinity/trace.h>

#define MSIA_STOCK_NAME	"msi_set_affinity"

/*
 * msia_lock protects msia_managed_list, msia_skipped_list and
 * msia_oom.  A spinlock, because the alloc and free probes run with
 * preemption off; it is taken inside an MSI descriptor mutex (scan,
 * probes) and may have a descriptor lock nested inside it (unhook),
 * never the other way round: the affinity hook finds its interrupt in
 * msia_owner, whose reads take no lock, and never needs it.  Hooking
 * itself happens only with the device's MSI descriptors locked, which
 * is also what the kernel holds around msi_domain_alloc() and
 * msi_domain_free(): so a scan, an allocation and a free of one device
 * never overlap.
 */
static DEFINE_SPINLOCK(msia_lock);
static LIST_HEAD(msia_managed_list);
static LIST_HEAD(msia_skipped_list);
/* Interrupts left unmanaged because not even a skipped entry fitted. */
static unsigned int msia_oom;
/* Set once the parameters are validated: the probes may hook from then. */
static bool msia_live;

/*
 * msia_owner maps each hooked interrupt's number to its msia_managed, so
 * that the hook finds its state from the number and never trusts the
 * chip pointer: another module may have stacked a copy of the module's
 * chip on top of it (as the module does to the kernel's), and the hook
 * then runs with irqd->chip pointing at that copy.  An xarray, because
 * the kernel may raise nr_irqs after load.  An entry is stored before
 * the chip is swapped in and erased after it is swapped out, both outside
 * the descriptor lock (the xarray's lock is a spinlock_t, which may not
 * nest inside that raw lock); the hook's lookup takes no lock, and an
 * entry it finds is freed only as the top of this file describes.
 */
static DEFINE_XARRAY(msia_owner);

struct msia_skipped {
	struct list_head node;
	unsigned int irq;
	const char *reason;
};

static int msia_set_affinity(struct irq_data *irqd, const struct cpumask *mask,
			     bool force);

static bool is_stock(const struct irq_chip *chip)
{
	char name[KSYM_SYMBOL_LEN];

	sprint_symbol_no_offset(name, (unsigned long)chip->irq_set_affinity);
	return !strcmp(name, MSIA_STOCK_NAME);
}

/**
 * msia_identify_stock() - can the kernel's msi_set_affinity be named?
 *
 * The module replaces only that function, and recognises it by name.
 * If this kernel has no such symbol, or kallsyms cannot name it, every
 * chip would look foreign (or, worse, be judged by a wrong rule), so
 * the load fails instead.  The kprobe is registered disabled: it only
 * resolves the name and never patches text.
 *
 * Return: 0, or -ENOENT after one error line.
 */
int msia_identify_stock(void)
{
	struct kprobe kp = {
		.symbol_name = MSIA_STOCK_NAME,
		.flags = KPROBE_FLAG_DISABLED,
	};
	char name[KSYM_SYMBOL_LEN];
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot find the kernel's %s (%d): not loading\n",
		       MSIA_STOCK_NAME, ret);
		return -ENOENT;
	}
	sprint_symbol_no_offset(name, (unsigned long)kp.addr);
	unregister_kprobe(&kp);
	if (strcmp(name, MSIA_STOCK_NAME)) {
		pr_err("kallsyms names %s '%s': not loading\n",
		       MSIA_STOCK_NAME, name);
		return -ENOENT;
	}
	return 0;
}

/* Why @irqd cannot be managed, or NULL if it can. */
#define REASON_REMAPPED "interrupt remapping"

static const char *unmanageable(struct irq_data *irqd, struct msi_desc *desc)
{
	struct irq_data *parent = irqd->parent_data;

	if (!irqd->chip || !irqd->chip->irq_set_affinity)
		return "no affinity control";
	if (!parent)
		return "no parent domain";
	if (parent->domain != x86_vector_domain)
		return REASON_REMAPPED;
	if (!parent->chip->irq_compose_msi_msg)
		return "parent cannot compose a message";
	if (desc->pci.msi_attrib.is_virtual)
		return "virtual MSI-X entry";
	if (!is_stock(irqd->chip))
		return "irq_set_affinity is not the kernel's msi_set_affinity";
	return NULL;
}

static bool is_ours(const struct irq_data *irqd)
{
	return irqd->chip && irqd->chip->irq_set_affinity == msia_set_affinity;
}

/* The module's state for @irqd, or NULL.  Descriptor lock held. */
static struct msia_managed *owner_of(struct irq_data *irqd)
{
	struct msia_managed *m = xa_load(&msia_owner, irqd->irq);

	return m && m->irqd == irqd ? m : NULL;
}

/*
 * A chip in front of the module's that can change affinity was copied
 * from it, or wraps it: it may call into this module at any time, so
 * the module holds a reference on itself for as long as one is there.
 * Called under the descriptor lock, from the hook, from the scans and
 * from unhook().  Printing there is sound because the module never runs
 * on PREEMPT_RT, where a console's spinlock_t would sleep; each message
 * marks a change of state, so there are two per stacking at most.
 */
static void note_stacking(struct msia_managed *m)
{
	const struct irq_chip *chip = m->irqd->chip;
	bool stacked = chip != &m->chip && chip && chip->irq_set_affinity;

	if (stacked == m->stacked)
		return;
	m->stacked = stacked;
	if (stacked) {
		__module_get(THIS_MODULE);
		pr_warn("irq %u: another chip (%ps) is stacked on msi_affinity's: staying loaded while it is there\n",
			m->irq, chip->irq_set_affinity);
	} else {
		module_put(THIS_MODULE);
		pr_info("irq %u: the stacked chip is gone\n", m->irq);
	}
}

/* The interrupt was freed: no chip of anyone's can call for it now. */
static void forget_stacking(struct msia_managed *m)
{
	if (!m->stacked)
		return;
	m->stacked = false;
	module_put(THIS_MODULE);
}

static int msia_set_affinity(struct irq_data *irqd, const struct cpumask *mask,
			     bool force)
{
	struct msia_managed *m = owner_of(irqd);
	struct irq_data *parent = irqd->parent_data;
	struct msia_target old, new;
	struct irq_cfg *cfg;
	unsigned int flags = 0;
	enum msia_path path;
	struct msi_msg msg;
	u64 retriggers, heals;
	int ret;

	/*
	 * Only a chip that kept this function after the module let go of
	 * the interrupt gets here without an owner; there is no state to
	 * move it with, and no kernel function the module may call instead.
	 */
	if (!m) {
		pr_warn_ratelimited("irq %u: not managed, affinity unchanged\n",
				    irqd->irq);
		return -EINVAL;
	}
	note_stacking(m);
	cfg = irqd_cfg(irqd);
	/* Where it is now, before the vector domain picks the new target. */
	old.cpu = cpumask_first(irq_data_get_effective_affinity_mask(irqd));
	old.vector = cfg->vector;
	msia_regs_sync(m);
	old.msg = m->mi.cur;

	ret = parent->chip->irq_set_affinity(parent, mask, force);
	if (ret < 0 || ret == IRQ_SET_MASK_OK_DONE)
		return ret;

	new.cpu = cpumask_first(irq_data_get_effective_affinity_mask(irqd));
	new.vector = cfg->vector;
	parent->chip->irq_compose_msi_msg(parent, &msg);
	new.msg.addr_lo = msg.address_lo;
	new.msg.addr_hi = msg.address_hi;
	new.msg.data = msg.data;

	if (irqd_is_started(irqd))
		flags |= MSIA_F_STARTED;
	if (old.vector == MANAGED_IRQ_SHUTDOWN_VECTOR)
		flags |= MSIA_F_OLD_SHUTDOWN;
	/* As __pci_write_msi_msg(): a sleeping or gone function is not written. */
	if (m->pdev->current_state != PCI_D0 || pci_dev_is_disconnected(m->pdev))
		flags |= MSIA_F_NO_HW;

	retriggers = m->mi.stats.retriggers;
	heals = m->mi.stats.heals;
	path = msia_migrate(&m->mi, &old, &new, flags, msia_mode);
	/*
	 * x86 moves a started PCI MSI only on its old CPU: in the ack path
	 * or in fixup_irqs() on the dying CPU.  Anything else would tear.
	 */
	WARN_ON_ONCE(path == MSIA_PATH_NONLOCAL);
	trace_msi_affinity_migrate(m->irq, old.cpu, old.vector, new.cpu,
				   new.vector, path);
	if (m->mi.stats.retriggers != retriggers)
		trace_msi_affinity_retrigger(m->irq, old.cpu, new.vector);
	if (m->mi.stats.heals != heals)
		trace_msi_affinity_heal(m->irq, m->mi.heal_regs,
					&m->mi.heal_seen, &m->mi.cur);
	if (path == MSIA_PATH_NONE)
		return ret;
	/* A later restore (resume, reset) must write what the device holds. */
	m->desc->msg.address_lo = m->mi.cur.addr_lo;
	m->desc->msg.address_hi = m->mi.cur.addr_hi;
	m->desc->msg.data = m->mi.cur.data;
	/*
	 * As __pci_write_msi_msg() does: some owners keep a copy of the
	 * message elsewhere (NTB hands it to the peer that rings the
	 * interrupt) and are told of every new one.  The callback is a
	 * function the kernel took the address of, so the call is sound
	 * under IBT.
	 */
	if (m->desc->write_msi_msg)
		m->desc->write_msi_msg(m->desc, m->desc->write_msi_msg_data);
	return ret;
}

/* Record why @irq is not managed, once; false if out of memory. */
static bool add_skipped(unsigned int irq, const char *reason, gfp_t gfp)
{
	struct msia_skipped *s = kzalloc(sizeof(*s), gfp), *t;
	unsigned long flags;

	spin_lock_irqsave(&msia_lock, flags);
	if (!s) {
		msia_oom++;
		spin_unlock_irqrestore(&msia_lock, flags);
		return false;
	}
	list_for_each_entry(t, &msia_skipped_list, node) {
		if (t->irq == irq) {
			kfree(s);
			s = NULL;
			break;
		}
	}
	if (s) {
		s->irq = irq;
		s->reason = reason;
		list_add_tail(&s->node, &msia_skipped_list);
	}
	spin_unlock_irqrestore(&msia_lock, flags);
	return true;
}

/*
 * Swap in the copy, after checking again under the descriptor lock that
 * the interrupt is still the one examined: the same irq_data for its
 * number, the same chip, the same MSI descriptor.  Right after
 * msi_domain_alloc() the interrupt has no MSI descriptor yet (the MSI
 * core attaches it next, under the same descriptor mutex the allocating
 * task holds), so none is the other acceptable answer.
 */
static bool hook(struct msia_managed *m, struct irq_chip *seen)
{
	struct irq_desc *desc = irq_data_to_desc(m->irqd);
	struct msi_desc *md;
	unsigned long flags;
	bool same;

	raw_spin_lock_irqsave(&desc->lock, flags);
	md = irq_data_get_msi_desc(m->irqd);
	same = irq_get_irq_data(m->irq) == m->irqd && m->irqd->chip == seen &&
	       (!md || md == m->desc);
	if (same) {
		m->orig_chip = seen;
		m->chip = *seen;
		m->chip.irq_set_affinity = msia_set_affinity;
		msia_regs_sync(m);
		m->irqd->chip = &m->chip;
	}
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	return same;
}

/*
 * Put the kernel's chip back, unless someone else installed another
 * (the MSI domain resets it to no_irq_chip when it frees the interrupt).
 * Called with msia_lock held.  The free probe drops an entry before its
 * interrupt is freed; should it ever miss one (its nmissed counts are in
 * debugfs), the number may since have been freed or reused, so the
 * irq_data is only touched if it is still the one for that number.
 */
static bool unhook(struct msia_managed *m)
{
	struct irq_desc *desc;
	unsigned long flags;
	bool stacked = false;

	rcu_read_lock();
	if (irq_get_irq_data(m->irq) == m->irqd) {
		desc = irq_data_to_desc(m->irqd);
		raw_spin_lock_irqsave(&desc->lock, flags);
		/*
		 * Checked in the same critical section that swaps the chip
		 * back: a chip stacked after an earlier look would otherwise
		 * be left pointing at a copy about to be freed.
		 */
		note_stacking(m);
		stacked = m->stacked;
		if (!stacked && m->irqd->chip == &m->chip)
			m->irqd->chip = m->orig_chip;
		raw_spin_unlock_irqrestore(&desc->lock, flags);
	} else {
		forget_stacking(m);
	}
	rcu_read_unlock();
	if (stacked)
		return false;
	/* Swapped out (or freed): no hook can find it from here on. */
	xa_cmpxchg(&msia_owner, m->irq, m, NULL, GFP_ATOMIC);
	return true;
}

/*
 * Check every managed interrupt for a chip stacked on the module's,
 * under its descriptor lock.  Called with msia_lock held.
 */
static unsigned int scan_stacking(void)
{
	struct msia_managed *m;
	struct irq_desc *desc;
	unsigned long flags;
	unsigned int n = 0;

	rcu_read_lock();
	list_for_each_entry(m, &msia_managed_list, node) {
		if (irq_get_irq_data(m->irq) != m->irqd) {
			/* Freed, and the free probe missed it. */
			forget_stacking(m);
			continue;
		}
		desc = irq_data_to_desc(m->irqd);
		raw_spin_lock_irqsave(&desc->lock, flags);
		note_stacking(m);
		n += m->stacked;
		raw_spin_unlock_irqrestore(&desc->lock, flags);
	}
	rcu_read_unlock();
	return n;
}

/**
 * msia_scan_stacking() - look for chips stacked on the module's now
 *
 * Context: process; the module notifier calls it whenever another
 * module has loaded or unloaded, the likeliest moments for a chip to be
 * stacked or taken away.  The hook also checks at every move.
 *
 * Return: how many managed interrupts have a chip stacked on theirs.
 */
unsigned int msia_scan_stacking(void)
{
	unsigned int n;

	spin_lock_irq(&msia_lock);
	n = scan_stacking();
	spin_unlock_irq(&msia_lock);
	return n;
}

/* The first stage is over; the head is free to queue the second. */
static void free_managed_rcu(struct rcu_head *head)
{
	struct msia_managed *m = container_of(head, struct msia_managed, rcu);

	kfree_rcu(m, rcu);
}

/*
 * Manage one interrupt of a device whose MSI descriptors the caller has
 * locked, so that it cannot be freed meanwhile.  @index is its place
 * among its descriptor's vectors (its MSI mask bit); the descriptor's
 * own irq is not set yet when this runs from the alloc probe.
 */
static void hook_one(struct irq_data *irqd, struct msi_desc *desc,
		     unsigned int index, gfp_t gfp)
{
	struct irq_chip *seen = irqd->chip;
	struct msia_managed *m;
	unsigned long flags;
	const char *why;

	why = unmanageable(irqd, desc);
	if (why) {
		if (!add_skipped(irqd->irq, why, gfp))
			pr_warn("irq %u: out of memory, not recorded as skipped (%s)\n",
				irqd->irq, why);
		return;
	}
	m = kzalloc(sizeof(*m), gfp);
	if (!m)
		goto oom;
	m->irq = irqd->irq;
	m->irqd = irqd;
	m->desc = desc;
	/*
	 * No reference: the hook is dropped when the interrupt is freed,
	 * which a driver does before its device can go away.
	 */
	m->pdev = msi_desc_to_pci_dev(desc);
	msia_regs_init(m, index);
	if (xa_is_err(xa_store(&msia_owner, m->irq, m, gfp)))
		goto oom;
	if (!hook(m, seen)) {
		/* Never installed: no hook can have found it. */
		xa_cmpxchg(&msia_owner, m->irq, m, NULL, gfp);
		kfree(m);
		add_skipped(irqd->irq, "changed while being hooked", gfp);
		return;
	}
	spin_lock_irqsave(&msia_lock, flags);
	list_add_tail(&m->node, &msia_managed_list);
	spin_unlock_irqrestore(&msia_lock, flags);
	return;
oom:
	kfree(m);
	add_skipped(irqd->irq, "out of memory", gfp);
	pr_warn("irq %u: out of memory, left to the kernel\n", irqd->irq);
}

typedef void (*msia_visit_t)(struct irq_data *irqd, struct msi_desc *desc,
			     unsigned int index, void *arg);

/*
 * Visit every selected interrupt of one device with its MSI descriptors
 * locked.  The device lock keeps a driver from unbinding meanwhile,
 * which would free the descriptors and the lock that guards them.
 */
static void visit_device(struct pci_dev *pdev, msia_visit_t visit, void *arg)
{
	struct msi_desc *desc;
	unsigned int i;

	device_lock(&pdev->dev);
	if (!pdev->msi_enabled && !pdev->msix_enabled)
		goto unlock;
	msia_lock_descs(&pdev->dev);
	msi_for_each_desc(desc, &pdev->dev, MSI_DESC_ASSOCIATED) {
		for (i = 0; i < desc->nvec_used; i++) {
			struct irq_data *irqd = irq_get_irq_data(desc->irq + i);

			if (irqd && msia_selected_irq(&msia_sel, desc->irq + i))
				visit(irqd, desc, i, arg);
		}
	}
	msia_unlock_descs(&pdev->dev);
unlock:
	device_unlock(&pdev->dev);
}

static void visit_all(msia_visit_t visit, void *arg)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev)
		if (msia_selected_dev(&msia_sel, pdev))
			visit_device(pdev, visit, arg);
}

/* What the load-time check learns about each interrupt irqs= names. */
struct named {
	bool found[MSIA_MAX_LIST];
	const char *why[MSIA_MAX_LIST];
};

static void note_named(struct irq_data *irqd, struct msi_desc *desc,
		       unsigned int index, void *arg)
{
	struct named *n = arg;
	unsigned int i;

	for (i = 0; i < msia_sel.nr_irqs; i++) {
		if (msia_sel.irqs[i] == irqd->irq) {
			n->found[i] = true;
			n->why[i] = unmanageable(irqd, desc);
		}
	}
}

/**
 * msia_check_named() - can every interrupt irqs= names be managed?
 *
 * Looks, hooks nothing.
 *
 * Return: 0, or -EINVAL (-ENOMEM) after one error line.
 */
int msia_check_named(void)
{
	const struct msia_select *sel = &msia_sel;
	struct named *n;
	unsigned int i;
	int ret = 0;

	if (!sel->nr_irqs)
		return 0;
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	visit_all(note_named, n);
	for (i = 0; i < sel->nr_irqs && !ret; i++) {
		if (!n->found[i]) {
			pr_err("irqs: %u is not a PCI MSI/MSI-X interrupt%s\n",
			       sel->irqs[i],
			       sel->nr_devs ? " of the listed devices" : "");
			ret = -EINVAL;
		} else if (n->why[i]) {
			pr_err("irqs: %u cannot be managed: %s\n",
			       sel->irqs[i], n->why[i]);
			ret = -EINVAL;
		}
	}
	kfree(n);
	return ret;
}

static void hook_visit(struct irq_data *irqd, struct msi_desc *desc,
		       unsigned int index, void *arg)
{
	/* Hooked already by the alloc probe, between probe and scan. */
	if (!is_ours(irqd))
		hook_one(irqd, desc, index, GFP_KERNEL);
}

/**
 * msia_hook_existing() - manage every selected interrupt there is now
 *
 * Context: process; the probes are registered, so an interrupt
 * allocated while this runs is hooked by one or the other, once.
 */
void msia_hook_existing(void)
{
	WRITE_ONCE(msia_live, true);
	visit_all(hook_visit, NULL);
}

/**
 * msia_hook_new() - manage interrupts the MSI domain just allocated
 * @domain: the PCI-MSI domain
 * @virq: the first new interrupt
 * @nr: how many
 * @desc: their MSI descriptor
 *
 * Context: the alloc probe, preemption off, the device's MSI descriptors
 * locked by the allocating task.  The interrupts have the kernel's chip
 * and are not started yet, so hooking now leaves no move unhooked.
 */
void msia_hook_new(struct irq_domain *domain, unsigned int virq,
		   unsigned int nr, struct msi_desc *desc)
{
	unsigned int i;

	if (!READ_ONCE(msia_live) || !desc || !dev_is_pci(desc->dev) ||
	    !msia_selected_dev(&msia_sel, msi_desc_to_pci_dev(desc)))
		return;
	for (i = 0; i < nr; i++) {
		struct irq_data *irqd = irq_domain_get_irq_data(domain, virq + i);

		if (irqd && msia_selected_irq(&msia_sel, virq + i) &&
		    !is_ours(irqd))
			hook_one(irqd, desc, i, GFP_ATOMIC);
	}
}

/**
 * msia_unhook_range() - forget interrupts the MSI domain has freed
 * @virq: the first interrupt
 * @nr: how many
 *
 * Context: the free probe, as msi_domain_free() returns: the domain has
 * reset each interrupt's chip already (unhook() then leaves it alone),
 * and its number cannot be reused before this returns.
 */
void msia_unhook_range(unsigned int virq, unsigned int nr)
{
	struct msia_managed *m, *tmp;
	struct msia_skipped *s, *stmp;
	unsigned long flags;

	spin_lock_irqsave(&msia_lock, flags);
	list_for_each_entry_safe(m, tmp, &msia_managed_list, node) {
		if (m->irq < virq || m->irq >= virq + nr)
			continue;
		/* The domain has put no_irq_chip in place: nothing stacks on it. */
		if (!unhook(m))
			continue;
		list_del(&m->node);
		call_rcu_tasks(&m->rcu, free_managed_rcu);
	}
	list_for_each_entry_safe(s, stmp, &msia_skipped_list, node) {
		if (s->irq >= virq && s->irq < virq + nr) {
			list_del(&s->node);
			kfree(s);
		}
	}
	spin_unlock_irqrestore(&msia_lock, flags);
}

/**
 * msia_unhook_all() - give every interrupt its kernel chip back
 *
 * Context: unload, after the alloc probe is gone and before the free
 * probe goes, so that an interrupt freed meanwhile is dropped by one or
 * the other.  The copies are freed later; see the top of this file.
 *
 * An interrupt with another chip stacked on the module's keeps its hook:
 * that chip may still call into the module, whose text unload is about
 * to free.  The caller waits for it to go and calls again.
 *
 * Return: the first such interrupt, or 0 when every one is restored.
 */
unsigned int msia_unhook_all(void)
{
	struct msia_managed *m, *tmp;
	struct msia_skipped *s, *stmp;
	unsigned int left = 0;

	spin_lock_irq(&msia_lock);
	list_for_each_entry_safe(m, tmp, &msia_managed_list, node) {
		if (!unhook(m)) {
			left = left ?: m->irq;
			continue;
		}
		list_del(&m->node);
		call_rcu_tasks(&m->rcu, free_managed_rcu);
	}
	list_for_each_entry_safe(s, stmp, &msia_skipped_list, node) {
		list_del(&s->node);
		kfree(s);
	}
	spin_unlock_irq(&msia_lock);
	return left;
}

/**
 * msia_hook_exit() - free the table of hooked interrupts
 *
 * Context: unload, once no interrupt is hooked and no probe is left.
 */
void msia_hook_exit(void)
{
	xa_destroy(&msia_owner);
}

/**
 * msia_managed_count() - how many interrupts are managed now
 *
 * Return: the count.
 */
unsigned int msia_managed_count(void)
{
	unsigned int n;

	spin_lock_irq(&msia_lock);
	n = list_count_nodes(&msia_managed_list);
	spin_unlock_irq(&msia_lock);
	return n;
}

/**
 * msia_take_census() - count the managed interrupts by kind, and the skipped
 * @c: filled in
 */
void msia_take_census(struct msia_census *c)
{
	struct msia_managed *m;
	struct msia_skipped *s;

	memset(c, 0, sizeof(*c));
	spin_lock_irq(&msia_lock);
	list_for_each_entry(m, &msia_managed_list, node) {
		if (m->mi.is_msix)
			c->msix++;
		else if (msia_maskable(&m->mi))
			c->msi_mask++;
		else
			c->msi++;
	}
	list_for_each_entry(s, &msia_skipped_list, node) {
		c->skipped++;
		if (!strcmp(s->reason, REASON_REMAPPED))
			c->remapped++;
	}
	spin_unlock_irq(&msia_lock);
}

struct managed_row {
	unsigned int irq;
	char dev[16];
	const char *kind;
	bool kernel_managed;
	struct msia_stats st;
};

/*
 * Copy the rows under the lock, format them after: formatting every row
 * with interrupts off (and again, whenever seq_file retries with a
 * larger buffer) would hold off this CPU's interrupts and the probes.
 */
static unsigned int snapshot(struct managed_row *rows, unsigned int max)
{
	struct msia_managed *m;
	unsigned int n = 0;

	spin_lock_irq(&msia_lock);
	list_for_each_entry(m, &msia_managed_list, node) {
		if (n == max)
			break;
		rows[n].irq = m->irq;
		strscpy(rows[n].dev, pci_name(m->pdev), sizeof(rows[n].dev));
		rows[n].kind = m->mi.is_msix ? "msix" :
			       msia_maskable(&m->mi) ? "msi-mask" : "msi";
		rows[n].kernel_managed = irqd_affinity_is_managed(m->irqd);
		rows[n].st = m->mi.stats;
		n++;
	}
	spin_unlock_irq(&msia_lock);
	return n;
}

/**
 * msia_managed_show() - one line per managed interrupt, with counters
 * @sf: the debugfs file
 */
void msia_managed_show(struct seq_file *sf)
{
	unsigned int max = msia_managed_count() + 16, n, i;
	struct managed_row *rows;

	seq_puts(sf, "irq device kind migrations two_step direct masked nonlocal irr_hits retriggers cfg_reads cfg_writes cached kernel_managed heals misreads\n");
	rows = kvcalloc(max, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return;
	n = snapshot(rows, max);
	for (i = 0; i < n; i++) {
		const struct msia_stats *st = &rows[i].st;

		seq_printf(sf, "%u %s %s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %d %llu %llu\n",
			   rows[i].irq, rows[i].dev, rows[i].kind,
			   st->migrations, st->two_step, st->direct,
			   st->masked, st->nonlocal, st->irr_hits,
			   st->retriggers, st->cfg_reads, st->cfg_writes,
			   st->cached, rows[i].kernel_managed, st->heals,
			   st->misreads);
	}
	kvfree(rows);
}

/**
 * msia_skipped_show() - one line per interrupt left alone, with why
 * @sf: the debugfs file
 */
void msia_skipped_show(struct seq_file *sf)
{
	struct msia_skipped *s;

	/* One short line per interrupt: cheap enough to format locked. */
	spin_lock_irq(&msia_lock);
	list_for_each_entry(s, &msia_skipped_list, node)
		seq_printf(sf, "%u %s\n", s->irq, s->reason);
	spin_unlock_irq(&msia_lock);
}

/**
 * msia_hook_stats_show() - counters of the hook itself
 * @sf: the debugfs file
 */
void msia_hook_stats_show(struct seq_file *sf)
{
	seq_printf(sf, "unrecorded_oom %u\n", READ_ONCE(msia_oom));
	seq_printf(sf, "stacked_chips %u\n", msia_scan_stacking());
}
