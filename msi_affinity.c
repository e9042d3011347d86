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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <asm/hw_irq.h>
#include <asm/irq_vectors.h>
#include <asm/irqdomain.h>
#include <msi_affinity/x86.h>

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
 * msia_lock protects msia_managed_list and msia_skipped_list.  It is a
 * mutex taken only in process context, and never inside a descriptor
 * lock: the affinity hook finds its interrupt from the chip pointer and
 * does not need the list.
 */
static DEFINE_MUTEX(msia_lock);
static LIST_HEAD(msia_managed_list);
static LIST_HEAD(msia_skipped_list);
static struct dentry *msia_debugfs;

struct msia_skipped {
	struct list_head node;
	unsigned int irq;
	const char *reason;
};

struct msia_select {
	unsigned int irqs[MSIA_MAX_LIST];
	unsigned int nr_irqs;
	struct pci_dev *devs[MSIA_MAX_LIST];
	unsigned int nr_devs;
};

static int msia_set_affinity(struct irq_data *irqd, const struct cpumask *mask,
			     bool force)
{
	struct msia_managed *m = container_of(irqd->chip, struct msia_managed,
					      chip);
	struct irq_data *parent = irqd->parent_data;
	struct irq_cfg *cfg = irqd_cfg(irqd);
	struct msia_target old, new;
	unsigned int flags = 0;
	struct msi_msg msg;
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

	msia_migrate(&m->mi, &old, &new, flags, msia_mode);
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

/* Split @list at commas and hand each token to @one; stops at an error. */
static int parse_list(const char *name, const char *list,
		      int (*one)(struct msia_select *sel, const char *tok),
		      struct msia_select *sel)
{
	char *copy, *cur, *tok;
	int ret = 0;

	if (!list || !*list)
		return 0;
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
	if (sel->nr_irqs == MSIA_MAX_LIST) {
		pr_err("irqs: more than %d entries\n", MSIA_MAX_LIST);
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
	if (sel->nr_devs == MSIA_MAX_LIST) {
		pr_err("devices: more than %d entries\n", MSIA_MAX_LIST);
		return -EINVAL;
	}
	pdev = pci_get_domain_bus_and_slot(dom, bus, PCI_DEVFN(slot, fn));
	if (!pdev) {
		pr_err("devices: no PCI device %s\n", tok);
		return -ENODEV;
	}
	sel->devs[sel->nr_devs++] = pdev;
	if (!pdev->msi_enabled && !pdev->msix_enabled) {
		pr_err("devices: %s has no MSI or MSI-X enabled\n", tok);
		return -EINVAL;
	}
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
		if (sel->devs[i] == pdev)
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
		       const char *reason)
{
	struct msia_skipped *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	s->irq = irq;
	s->reason = reason;
	list_add_tail(&s->node, skipped);
	return 0;
}

static int add_candidate(struct list_head *out, struct list_head *skipped,
			 struct pci_dev *pdev, struct msi_desc *desc,
			 unsigned int irq)
{
	struct irq_data *irqd = irq_get_irq_data(irq);
	struct msia_managed *m;
	const char *why;

	why = irqd ? unmanageable(irqd, desc) : "no irq_data";
	if (why)
		return add_skipped(skipped, irq, why);

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->irq = irq;
	m->irqd = irqd;
	m->desc = desc;
	m->pdev = pci_dev_get(pdev);
	msia_regs_init(m);
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
			if (selected_irq(sel, desc->irq + i))
				ret = add_candidate(out, skipped, pdev, desc,
						    desc->irq + i);
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
		pci_dev_put(m->pdev);
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

static int managed_show(struct seq_file *sf, void *unused)
{
	struct msia_managed *m;

	seq_puts(sf, "irq device kind migrations two_step direct masked nonlocal irr_hits retriggers cfg_reads cfg_writes\n");
	mutex_lock(&msia_lock);
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
	mutex_unlock(&msia_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(managed);

static int skipped_show(struct seq_file *sf, void *unused)
{
	struct msia_skipped *s;

	mutex_lock(&msia_lock);
	list_for_each_entry(s, &msia_skipped_list, node)
		seq_printf(sf, "%u %s\n", s->irq, s->reason);
	mutex_unlock(&msia_lock);
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

static void put_devs(struct msia_select *sel)
{
	while (sel->nr_devs)
		pci_dev_put(sel->devs[--sel->nr_devs]);
}

static int __init msia_init(void)
{
	struct pci_dev *pdev = NULL;
	struct msia_select *sel;
	struct msia_managed *m;
	LIST_HEAD(cand);
	LIST_HEAD(skipped);
	int ret;

	ret = parse_mode();
	if (ret)
		return ret;
	msia_stock_set_affinity = msia_lookup_symbol("msi_set_affinity");
	sel = kzalloc(sizeof(*sel), GFP_KERNEL);
	if (!sel)
		return -ENOMEM;
	ret = parse_list("irqs", irqs, parse_irq, sel);
	if (!ret)
		ret = parse_list("devices", devices, parse_device, sel);

	for_each_pci_dev(pdev) {
		if (ret) {
			pci_dev_put(pdev);
			break;
		}
		if (selected_dev(sel, pdev))
			ret = scan_device(pdev, sel, &cand, &skipped);
	}
	if (!ret)
		ret = check_named(sel, &cand, &skipped);
	put_devs(sel);
	kfree(sel);
	if (ret)
		goto fail;

	ret = msia_apic_init();
	if (ret)
		goto fail;
	if (msia_mode == MSIA_MODE_DIRECT) {
		pr_warn("mode=direct: one-step unsafe updates, interrupts WILL be lost\n");
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}

	mutex_lock(&msia_lock);
	list_splice_tail_init(&cand, &msia_managed_list);
	list_splice_tail_init(&skipped, &msia_skipped_list);
	list_for_each_entry(m, &msia_managed_list, node)
		hook(m);
	mutex_unlock(&msia_lock);
	debugfs_init();
	pr_info("managing %zu interrupts, mode=%s, stray vectors %s\n",
		list_count_nodes(&msia_managed_list),
		msia_mode == MSIA_MODE_SAFE ? "safe" : "direct",
		msia_apic_can_claim() ? "claimed" : "reported");
	return 0;

fail:
	free_managed(&cand);
	free_skipped(&skipped);
	return ret;
}

static void __exit msia_exit(void)
{
	struct msia_managed *m;

	debugfs_remove_recursive(msia_debugfs);
	mutex_lock(&msia_lock);
	list_for_each_entry(m, &msia_managed_list, node)
		unhook(m);
	free_managed(&msia_managed_list);
	free_skipped(&msia_skipped_list);
	mutex_unlock(&msia_lock);
	pr_info("all interrupts restored\n");
}

module_init(msia_init);
module_exit(msia_exit);

MODULE_DESCRIPTION("Safe MSI/MSI-X affinity changes: two-step moves, IRR check and retrigger, masking");
MODULE_AUTHOR("msi_affinity developers");
MODULE_LICENSE("GPL");
