// SPDX-License-Identifier: GPL-2.0
/*
 * msi_affinity's parameters: how to write (mode=), which interrupts to
 * manage (irqs=, devices=), and where the kernel's vector table is
 * (vector_irq=).  Each is judged whole before anything is hooked; a bad
 * one fails the load with -EINVAL (-ENODEV for an absent device) and one
 * error line naming it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <msi_affinity/module.h>

static char *mode = "safe";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "safe (default), or direct: unsafe one-step writes, for tests only");

static char *irqs;
module_param(irqs, charp, 0444);
MODULE_PARM_DESC(irqs, "comma-separated interrupt numbers to manage (default: all PCI MSI/MSI-X)");

static char *devices;
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices, "comma-separated PCI devices (DDDD:BB:DD.F) whose interrupts to manage");

/*
 * Named so as not to clash with the kernel's own vector_irq.  Readable
 * by root only: it is a kernel address, which KASLR hides from users.
 */
static unsigned long vector_irq_addr;
module_param_named(vector_irq, vector_irq_addr, ulong, 0400);
MODULE_PARM_DESC(vector_irq, "0x address of the per-CPU vector_irq from /proc/kallsyms; checked, lets stray vectors be claimed (default 0: they are reported)");

struct msia_select msia_sel;
enum msia_mode msia_mode;

/**
 * msia_mode_name() - the mode in force, as mode= spells it
 *
 * Return: "safe" or "direct".
 */
const char *msia_mode_name(void)
{
	return msia_mode == MSIA_MODE_SAFE ? "safe" : "direct";
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

/**
 * msia_parse_params() - judge mode=, irqs= and devices=
 * @vector_irq_out: set to the vector_irq= value, checked later against
 *	the vector table itself
 *
 * Return: 0, or -EINVAL/-ENODEV/-ENOMEM after one error line.
 */
int msia_parse_params(unsigned long *vector_irq_out)
{
	int ret;

	ret = parse_mode();
	if (!ret)
		ret = parse_list("irqs", irqs, parse_irq, &msia_sel);
	if (!ret)
		ret = parse_list("devices", devices, parse_device, &msia_sel);
	*vector_irq_out = vector_irq_addr;
	return ret;
}

/**
 * msia_selected_irq() - is @irq among those irqs= names?
 * @sel: the selection
 * @irq: an interrupt number
 *
 * Return: true if irqs= names it or names none.
 */
bool msia_selected_irq(const struct msia_select *sel, unsigned int irq)
{
	unsigned int i;

	if (!sel->nr_irqs)
		return true;
	for (i = 0; i < sel->nr_irqs; i++)
		if (sel->irqs[i] == irq)
			return true;
	return false;
}

/**
 * msia_selected_dev() - is @pdev among those devices= names?
 * @sel: the selection
 * @pdev: a PCI function
 *
 * Return: true if devices= names its address or names none.
 */
bool msia_selected_dev(const struct msia_select *sel, struct pci_dev *pdev)
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
