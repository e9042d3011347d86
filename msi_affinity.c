// SPDX-License-Identifier: GPL-2.0
/*
 * msi_affinity: safe affinity changes for PCI MSI and MSI-X interrupts
 * on x86 without interrupt remapping.
 *
 * Each managed interrupt gets its own copy of the kernel's PCI-MSI
 * irq_chip, identical but for irq_set_affinity.  Every affinity change
 * the kernel makes (the deferred move in the ack path, fixup_irqs() on
 * CPU offline, /proc/irq/N/smp_affinity) calls chip->irq_set_affinity
 * with the descriptor lock held, so swapping the chip pointer under that
 * lock routes all of them through the module and leaves every other
 * interrupt, and the shared chip, untouched.
 *
 * Interrupts allocated later are hooked as the MSI domain's alloc
 * callback returns, and every hook is dropped as the interrupt is freed
 * (driver unbind, device removal), both through kprobes, which also
 * guarantee on unregistration that no handler is still running.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <asm/hw_irq.h>
#include <asm/irq_vectors.h>
#include <asm/irqdomain.h>
#include <msi_affinity/x86.h>

#define CREATE_TRACE_POINTS
#include <msi_affinity/trace.h>

#define MSIA_MAX_LIST	64

static char *mode = "safe";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "safe (default), or direct: unsafe one-step writes, for tests only");

static char *irqs;
module_param(irqs, charp, 0444);
MODULE_PARM_DESC(irqs, "comma-separated interrupt numbers to manage (default: all PCI MSI/MSI-X)");

static char *devices;
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices, "comma-separated PCI devices (DDDD:BB:DD.F) whose interrupts to manage");

static enum msia_mode msia_mode;
/* Address of the kernel's x86 msi_set_affinity(), 0 if unknown. */
static unsigned long msia_stock_set_affinity;

/*
 * msia_lock protects msia_managed_list, msia_skipped_list and the
 * selection (msia_sel).  A spinlock, because the alloc and free probes
 * run with preemption off.  It may be taken with a descriptor lock
 * nested inside (hook, unhook), never the other way round: the affinity
 * hook finds its interrupt from the chip pointer and never needs it.
 */
static DEFINE_SPINLOCK(msia_lock);
static LIST_HEAD(msia_managed_list);
static LIST_HEAD(msia_skipped_list);
static struct dentry *msia_debugfs;
/* Set once the parameters are validated: the probes may hook from then. */
static bool msia_live;

struct msia_skipped {
	struct list_head node;
	unsigned int irq;
	const char *reason;
};

/*
 * What irqs= and devices= select.  Devices are kept by address, not by
 * reference: they are only compared, so a device removed meanwhile is
 * harmless, and a new one at the same address is selected, as a
 * re-probed device should be.
 */
struct msia_select {
	unsigned int irqs[MSIA_MAX_LIST];
	unsigned int nr_irqs;
	struct {
		int domain;
		unsigned int bus, devfn;
	} devs[MSIA_MAX_LIST];
	unsigned int nr_devs;
};

static struct msia_select msia_sel;

static int msia_set_affinity(struct irq_data *irqd, const struct cpumask *mask,
			     bool force)
{
	struct msia_managed *m = container_of(irqd->chip, struct msia_managed,
					      chip);
	struct irq_data *parent = irqd->parent_data;
	struct irq_cfg *cfg = irqd_cfg(irqd);
	struct msia_target old, new;
	unsigned int flags = 0;
	enum msia_path path;
	struct msi_msg msg;
	u64 retriggers;
	int ret;

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

	retriggers = m->mi.stats.retriggers;
	path = msia_migrate(&m->mi, &old, &new, flags, msia_mode);
	trace_msi_affinity_migrate(m->irq, old.cpu, old.vector, new.cpu,
				   new.vector, path);
	if (m->mi.stats.retriggers != retriggers)
		trace_msi_affinity_retrigger(m->irq, old.cpu, new.vector);
	/* A later restore (resume, reset) must write what the device holds. */
	m->desc->msg.address_lo = m->mi.cur.addr_lo;
	m->desc->msg.address_hi = m->mi.cur.addr_hi;
	m->desc->msg.data = m->mi.cur.data;
	return ret;
}

static int parse_mode(void)
{
	if (!mode || !strcmp(mode, "safe")) {
		msia_mode = MSIA_MODE_SAFE;
		return 0;
	}
	if (!strcmp(mode, "direct")) {
		msia_mode = MSIA_MODE_DIRECT;
		return 0;
	}
	pr_err("mode=%s: must be safe or direct\n", mode);
	return -EINVAL;
}

static unsigned int count_entries(const char *list)
{
	unsigned int n = 1;

	for (; *list; list++)
		n += *list == ',';
	return n;
}

/* Split @list at commas and hand each token to @one; stops at an error. */
static int parse_list(const char *name, const char *list,
		      int (*one)(struct msia_select *sel, const char *tok),
		      struct msia_select *sel)
{
	char *copy, *cur, *tok;
	int ret = 0;

	if (!list || !*list)
		return 0;
	/* The whole list is judged before any entry in it. */
	if (count_entries(list) > MSIA_MAX_LIST) {
		pr_err("%s: %u entries, at most %d\n", name,
		       count_entries(list), MSIA_MAX_LIST);
		return -EINVAL;
	}
	copy = kstrdup(list, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = copy;
	while ((tok = strsep(&cur, ",")) && !ret) {
		if (!*tok) {
			pr_err("%s=%s: empty entry\n", name, list);
			ret = -EINVAL;
		} else {
			ret = one(sel, tok);
		}
	}
	kfree(copy);
	return ret;
}

static int parse_irq(struct msia_select *sel, const char *tok)
{
	unsigned int irq, i;

	if (kstrtouint(tok, 10, &irq)) {
		pr_err("irqs: '%s' is not an interrupt number\n", tok);
		return -EINVAL;
	}
	for (i = 0; i < sel->nr_irqs; i++) {
		if (sel->irqs[i] == irq) {
			pr_err("irqs: %u listed twice\n", irq);
			return -EINVAL;
		}
	}
	if (!irq_get_irq_data(irq)) {
		pr_err("irqs: %u is not an allocated interrupt\n", irq);
		return -EINVAL;
	}
	sel->irqs[sel->nr_irqs++] = irq;
	return 0;
}

static int parse_device(struct msia_select *sel, const char *tok)
{
	unsigned int dom = 0, bus, slot, fn;
	struct pci_dev *pdev;
	bool msi;
	int n = 0;

	if (sscanf(tok, "%x:%x:%x.%x%n", &dom, &bus, &slot, &fn, &n) != 4 ||
	    tok[n]) {
		dom = 0;
		n = 0;
		if (sscanf(tok, "%x:%x.%x%n", &bus, &slot, &fn, &n) != 3 ||
		    tok[n]) {
			pr_err("devices: '%s' is not DDDD:BB:DD.F\n", tok);
			return -EINVAL;
		}
	}
	if (bus > 0xff || slot > 0x1f || fn > 7) {
		pr_err("devices: '%s' is out of range\n", tok);
		return -EINVAL;
	}
	pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(slot, fn));
	if (!pdev) {
		pr_err("devices: no PCI device %s\n", tok);
		return -ENODEV;
	}
	msi = pdev->msi_enabled || pdev->msix_enabled;
	pci_dev_put(pdev);
	if (!msi) {
		pr_err("devices: %s has no MSI or MSI-X enabled\n", tok);
		return -EINVAL;
	}
	sel->devs[sel->nr_devs].domain = dom;
	sel->devs[sel->nr_devs].bus = bus;
	sel->devs[sel->nr_devs].devfn = PCI_DEVFN(slot, fn);
	sel->nr_devs++;
	return 0;
}

static bool selected_irq(const struct msia_select *sel, unsigned int irq)
{
	unsigned int i;

	if (!sel->nr_irqs)
		return true;
	for (i = 0; i < sel->nr_irqs; i++)
		if (sel->irqs[i] == irq)
			return true;
	return false;
}

static bool selected_dev(const struct msia_select *sel, struct pci_dev *pdev)
{
	unsigned int i;

	if (!sel->nr_devs)
		return true;
	for (i = 0; i < sel->nr_devs; i++)
		if (sel->devs[i].domain == pci_domain_nr(pdev->bus) &&
		    sel->devs[i].bus == pdev->bus->number &&
		    sel->devs[i].devfn == pdev->devfn)
			return true;
	return false;
}

/* Why @irqd cannot be managed, or NULL if it can. */
static const char *unmanageable(struct irq_data *irqd, struct msi_desc *desc)
{
	struct irq_data *parent = irqd->parent_data;

	if (!irqd->chip || !irqd->chip->irq_set_affinity)
		return "no affinity control";
	if (!parent || parent->domain != x86_vector_domain)
		return "interrupt remapping";
	if (!parent->chip->irq_compose_msi_msg)
		return "parent cannot compose a message";
	if (desc->pci.msi_attrib.is_virtual)
		return "virtual MSI-X entry";
	/* Replace only the function whose behaviour we know we fix. */
	if (msia_stock_set_affinity &&
	    (unsigned long)irqd->chip->irq_set_affinity != msia_stock_set_affinity)
		return "irq_set_affinity is not the kernel's msi_set_affinity";
	return NULL;
}

static int add_skipped(struct list_head *skipped, unsigned int irq,
		       const char *reason, gfp_t gfp)
{
	struct msia_skipped *s = kzalloc(sizeof(*s), gfp);

	if (!s)
		return -ENOMEM;
	s->irq = irq;
	s->reason = reason;
	list_add_tail(&s->node, skipped);
	return 0;
}

/*
 * @index is the interrupt's place among its descriptor's vectors (its
 * MSI mask bit); the descriptor's own irq is not set yet when this runs
 * from the alloc probe.
 */
static int add_candidate(struct list_head *out, struct list_head *skipped,
			 struct irq_data *irqd, struct msi_desc *desc,
			 unsigned int index, gfp_t gfp)
{
	struct msia_managed *m;
	const char *why;

	why = unmanageable(irqd, desc);
	if (why)
		return add_skipped(skipped, irqd->irq, why, gfp);

	m = kzalloc(sizeof(*m), gfp);
	if (!m)
		return -ENOMEM;
	m->irq = irqd->irq;
	m->irqd = irqd;
	m->desc = desc;
	/*
	 * No reference: the hook is dropped when the interrupt is freed,
	 * which a driver does before its device can go away.
	 */
	m->pdev = msi_desc_to_pci_dev(desc);
	msia_regs_init(m, index);
	list_add_tail(&m->node, out);
	return 0;
}

static int scan_device(struct pci_dev *pdev, const struct msia_select *sel,
		       struct list_head *out, struct list_head *skipped)
{
	struct msi_desc *desc;
	unsigned int i;
	int ret = 0;

	if (!pdev->msi_enabled && !pdev->msix_enabled)
		return 0;
	msi_lock_descs(&pdev->dev);
	msi_for_each_desc(desc, &pdev->dev, MSI_DESC_ASSOCIATED) {
		for (i = 0; i < desc->nvec_used && !ret; i++) {
			struct irq_data *irqd = irq_get_irq_data(desc->irq + i);

			if (irqd && selected_irq(sel, desc->irq + i))
				ret = add_candidate(out, skipped, irqd, desc, i,
						    GFP_KERNEL);
		}
		if (ret)
			break;
	}
	msi_unlock_descs(&pdev->dev);
	return ret;
}

static void free_managed(struct list_head *list)
{
	struct msia_managed *m, *tmp;

	list_for_each_entry_safe(m, tmp, list, node) {
		list_del(&m->node);
		kfree(m);
	}
}

static void free_skipped(struct list_head *list)
{
	struct msia_skipped *s, *tmp;

	list_for_each_entry_safe(s, tmp, list, node) {
		list_del(&s->node);
		kfree(s);
	}
}

/* Every interrupt named in irqs= must be one we can manage. */
static int check_named(const struct msia_select *sel, struct list_head *out,
		       struct list_head *skipped)
{
	struct msia_managed *m;
	struct msia_skipped *s;
	unsigned int i;
	bool found;

	for (i = 0; i < sel->nr_irqs; i++) {
		found = false;
		list_for_each_entry(m, out, node)
			found |= m->irq == sel->irqs[i];
		list_for_each_entry(s, skipped, node) {
			if (s->irq == sel->irqs[i]) {
				pr_err("irqs: %u cannot be managed: %s\n",
				       s->irq, s->reason);
				return -EINVAL;
			}
		}
		if (!found) {
			pr_err("irqs: %u is not a PCI MSI/MSI-X interrupt%s\n",
			       sel->irqs[i],
			       sel->nr_devs ? " of the listed devices" : "");
			return -EINVAL;
		}
	}
	return 0;
}

static void hook(struct msia_managed *m)
{
	struct irq_desc *desc = irq_data_to_desc(m->irqd);
	unsigned long flags;

	raw_spin_lock_irqsave(&desc->lock, flags);
	m->orig_chip = m->irqd->chip;
	m->chip = *m->orig_chip;
	m->chip.irq_set_affinity = msia_set_affinity;
	m->irqd->chip = &m->chip;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

/*
 * Put the kernel's chip back, unless the interrupt was freed (and maybe
 * reallocated) meanwhile: then its chip is no longer ours to restore.
 */
static void unhook(struct msia_managed *m)
{
	struct irq_data *irqd = irq_get_irq_data(m->irq);
	struct irq_desc *desc;
	unsigned long flags;

	if (irqd != m->irqd)
		return;
	desc = irq_data_to_desc(irqd);
	raw_spin_lock_irqsave(&desc->lock, flags);
	if (irqd->chip == &m->chip)
		irqd->chip = m->orig_chip;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
}

static struct msia_managed *find_managed(unsigned int irq)
{
	struct msia_managed *m;

	list_for_each_entry(m, &msia_managed_list, node)
		if (m->irq == irq)
			return m;
	return NULL;
}

/* Hook each candidate not already hooked; the lists take them all. */
static void install(struct list_head *cand, struct list_head *skipped)
{
	struct msia_managed *m, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&msia_lock, flags);
	list_for_each_entry_safe(m, tmp, cand, node) {
		list_del(&m->node);
		if (find_managed(m->irq)) {
			kfree(m);
			continue;
		}
		hook(m);
		list_add_tail(&m->node, &msia_managed_list);
	}
	list_splice_tail_init(skipped, &msia_skipped_list);
	spin_unlock_irqrestore(&msia_lock, flags);
}

struct alloc_args {
	struct irq_domain *domain;
	unsigned int virq;
	unsigned int nr_irqs;
	struct irq_alloc_info *info;
};

static int alloc_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct alloc_args *a = (struct alloc_args *)ri->data;

	a->domain = (struct irq_domain *)regs_get_kernel_argument(regs, 0);
	a->virq = regs_get_kernel_argument(regs, 1);
	a->nr_irqs = regs_get_kernel_argument(regs, 2);
	a->info = (struct irq_alloc_info *)regs_get_kernel_argument(regs, 3);
	return 0;
}

/*
 * msi_domain_alloc() returned: the new interrupts have the kernel's
 * chip and are not yet started, so hooking them now leaves no move
 * unhooked.  Runs in the allocating task with preemption off, hence
 * GFP_ATOMIC.
 */
static int alloc_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct alloc_args *a = (struct alloc_args *)ri->data;
	struct msi_desc *desc = a->info ? a->info->desc : NULL;
	LIST_HEAD(cand);
	LIST_HEAD(skipped);
	unsigned int i;

	if (regs_return_value(regs) || !READ_ONCE(msia_live) || !desc ||
	    !dev_is_pci(desc->dev) ||
	    !selected_dev(&msia_sel, msi_desc_to_pci_dev(desc)))
		return 0;
	for (i = 0; i < a->nr_irqs; i++) {
		struct irq_data *irqd;

		irqd = irq_domain_get_irq_data(a->domain, a->virq + i);
		if (!irqd || !selected_irq(&msia_sel, a->virq + i))
			continue;
		if (add_candidate(&cand, &skipped, irqd, desc, i, GFP_ATOMIC))
			break;
	}
	install(&cand, &skipped);
	return 0;
}

static struct kretprobe alloc_probe = {
	.kp.symbol_name = "msi_domain_alloc",
	.entry_handler = alloc_entry,
	.handler = alloc_ret,
	.data_size = sizeof(struct alloc_args),
	.maxactive = 8,
};

/*
 * msi_domain_free(domain, virq, nr_irqs): drop the hooks first.  An
 * entry handler of a kretprobe that asks for no return instance, so
 * that both probes register and unregister as one batch, with a single
 * wait for running handlers.
 */
static int free_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned int virq = regs_get_kernel_argument(regs, 1);
	unsigned int nr = regs_get_kernel_argument(regs, 2);
	struct msia_managed *m, *tmp;
	struct msia_skipped *s, *stmp;
	unsigned long flags;

	spin_lock_irqsave(&msia_lock, flags);
	list_for_each_entry_safe(m, tmp, &msia_managed_list, node) {
		if (m->irq < virq || m->irq >= virq + nr)
			continue;
		unhook(m);
		list_del(&m->node);
		kfree(m);
	}
	list_for_each_entry_safe(s, stmp, &msia_skipped_list, node) {
		if (s->irq >= virq && s->irq < virq + nr) {
			list_del(&s->node);
			kfree(s);
		}
	}
	spin_unlock_irqrestore(&msia_lock, flags);
	return 1;
}

static struct kretprobe free_probe = {
	.kp.symbol_name = "msi_domain_free",
	.entry_handler = free_entry,
	.maxactive = 8,
};

static struct kretprobe *msia_probes[] = { &alloc_probe, &free_probe };

static int managed_show(struct seq_file *sf, void *unused)
{
	struct msia_managed *m;
	unsigned long flags;

	seq_puts(sf, "irq device kind migrations two_step direct masked nonlocal irr_hits retriggers cfg_reads cfg_writes\n");
	spin_lock_irqsave(&msia_lock, flags);
	list_for_each_entry(m, &msia_managed_list, node) {
		const struct msia_stats *st = &m->mi.stats;

		seq_printf(sf, "%u %s %s %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
			   m->irq, pci_name(m->pdev),
			   m->mi.is_msix ? "msix" :
			   msia_maskable(&m->mi) ? "msi-mask" : "msi",
			   st->migrations, st->two_step, st->direct,
			   st->masked, st->nonlocal, st->irr_hits,
			   st->retriggers, st->cfg_reads, st->cfg_writes);
	}
	spin_unlock_irqrestore(&msia_lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(managed);

static int skipped_show(struct seq_file *sf, void *unused)
{
	struct msia_skipped *s;
	unsigned long flags;

	spin_lock_irqsave(&msia_lock, flags);
	list_for_each_entry(s, &msia_skipped_list, node)
		seq_printf(sf, "%u %s\n", s->irq, s->reason);
	spin_unlock_irqrestore(&msia_lock, flags);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(skipped);

static int mode_show(struct seq_file *sf, void *unused)
{
	seq_printf(sf, "%s\n", msia_mode == MSIA_MODE_SAFE ? "safe" : "direct");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mode);

static void debugfs_init(void)
{
	msia_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("mode", 0444, msia_debugfs, NULL, &mode_fops);
	debugfs_create_file("managed", 0444, msia_debugfs, NULL,
			    &managed_fops);
	debugfs_create_file("skipped", 0444, msia_debugfs, NULL,
			    &skipped_fops);
}

/* Every MSI interrupt of the selected devices, as candidates. */
static int scan_all(struct list_head *cand, struct list_head *skipped)
{
	struct pci_dev *pdev = NULL;
	int ret = 0;

	for_each_pci_dev(pdev) {
		if (!selected_dev(&msia_sel, pdev))
			continue;
		ret = scan_device(pdev, &msia_sel, cand, skipped);
		if (ret) {
			pci_dev_put(pdev);
			break;
		}
	}
	return ret;
}

static int __init msia_init(void)
{
	size_t managed = 0;
	LIST_HEAD(cand);
	LIST_HEAD(skipped);
	int ret;

	ret = parse_mode();
	if (ret)
		return ret;
	msia_stock_set_affinity = msia_lookup_symbol("msi_set_affinity");
	/* Look it up here, in process context, not first in the alloc probe. */
	msia_platform_no_mask();
	ret = parse_list("irqs", irqs, parse_irq, &msia_sel);
	if (!ret)
		ret = parse_list("devices", devices, parse_device, &msia_sel);
	/* Validate against the interrupts there are now, hooking nothing. */
	if (!ret)
		ret = scan_all(&cand, &skipped);
	if (!ret)
		ret = check_named(&msia_sel, &cand, &skipped);
	free_managed(&cand);
	free_skipped(&skipped);
	if (ret)
		return ret;

	msia_apic_init();
	if (msia_mode == MSIA_MODE_DIRECT) {
		pr_warn("mode=direct: one-step unsafe updates, interrupts WILL be lost\n");
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}

	/*
	 * Probes first, then the scan that hooks: an interrupt allocated in
	 * between is seen by both and hooked once.
	 */
	if (register_kretprobes(msia_probes, ARRAY_SIZE(msia_probes))) {
		pr_err("cannot probe msi_domain_alloc/msi_domain_free\n");
		return -ENOENT;
	}
	WRITE_ONCE(msia_live, true);
	ret = scan_all(&cand, &skipped);
	install(&cand, &skipped);
	debugfs_init();

	spin_lock_irq(&msia_lock);
	managed = list_count_nodes(&msia_managed_list);
	spin_unlock_irq(&msia_lock);
	pr_info("managing %zu interrupts, mode=%s, stray vectors %s\n",
		managed, msia_mode == MSIA_MODE_SAFE ? "safe" : "direct",
		msia_apic_can_claim() ? "claimed" : "reported");
	if (ret)
		pr_warn("some interrupts could not be managed: %d\n", ret);
	return 0;
}

static void __exit msia_exit(void)
{
	struct msia_managed *m;

	/* Returns only once no probe handler runs any more. */
	unregister_kretprobes(msia_probes, ARRAY_SIZE(msia_probes));
	debugfs_remove_recursive(msia_debugfs);
	spin_lock_irq(&msia_lock);
	list_for_each_entry(m, &msia_managed_list, node)
		unhook(m);
	free_managed(&msia_managed_list);
	free_skipped(&msia_skipped_list);
	spin_unlock_irq(&msia_lock);
	pr_info("all interrupts restored\n");
}

module_init(msia_init);
module_exit(msia_exit);

MODULE_DESCRIPTION("Safe MSI/MSI-X affinity changes: two-step moves, IRR check and retrigger, masking");
MODULE_AUTHOR("msi_affinity developers");
MODULE_LICENSE("GPL");
