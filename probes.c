// SPDX-License-Identifier: GPL-2.0
/*
 * Following interrupts as they come and go.  Every PCI MSI and MSI-X
 * interrupt, including dynamic MSI-X vectors, is allocated through the
 * MSI domain's msi_domain_alloc() and freed through msi_domain_free(),
 * both called with the device's MSI descriptors locked.  A kretprobe
 * on each acts as the function returns: the first hooks what was
 * allocated, the second forgets what was freed, before the interrupt
 * numbers can be reused.
 *
 * The work is done in return handlers, which run from the kretprobe
 * trampoline in ordinary (preemption off) context.  Entry handlers may
 * run in the int3 exception, which the kernel enters like an NMI, where
 * msia_lock may not be taken; they only record the arguments.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irqdomain.h>
#include <linux/kprobes.h>
#include <linux/msi.h>
#include <linux/ptrace.h>
#include <asm/irqdomain.h>
#include <msi_affinity/module.h>

struct alloc_args {
	struct irq_domain *domain;
	unsigned int virq;
	unsigned int nr_irqs;
	struct irq_alloc_info *info;
};

/* msi_domain_alloc(domain, virq, nr_irqs, arg) */
static int alloc_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct alloc_args *a = (struct alloc_args *)ri->data;

	a->domain = (struct irq_domain *)regs_get_kernel_argument(regs, 0);
	a->virq = regs_get_kernel_argument(regs, 1);
	a->nr_irqs = regs_get_kernel_argument(regs, 2);
	a->info = (struct irq_alloc_info *)regs_get_kernel_argument(regs, 3);
	return 0;
}

static int alloc_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct alloc_args *a = (struct alloc_args *)ri->data;

	if (!regs_return_value(regs))
		msia_hook_new(a->domain, a->virq, a->nr_irqs,
			      a->info ? a->info->desc : NULL);
	return 0;
}

static struct kretprobe alloc_probe = {
	.kp.symbol_name = "msi_domain_alloc",
	.entry_handler = alloc_entry,
	.handler = alloc_ret,
	.data_size = sizeof(struct alloc_args),
	.maxactive = 8,
};

struct free_args {
	unsigned int virq;
	unsigned int nr_irqs;
};

/* msi_domain_free(domain, virq, nr_irqs) */
static int free_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct free_args *a = (struct free_args *)ri->data;

	a->virq = regs_get_kernel_argument(regs, 1);
	a->nr_irqs = regs_get_kernel_argument(regs, 2);
	return 0;
}

/*
 * By now the MSI domain has put no_irq_chip in the interrupts'
 * irq_data, so nothing points at a copy any more; the descriptors are
 * freed only after this returns.
 */
static int free_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct free_args *a = (struct free_args *)ri->data;

	msia_unhook_range(a->virq, a->nr_irqs);
	return 0;
}

static struct kretprobe free_probe = {
	.kp.symbol_name = "msi_domain_free",
	.entry_handler = free_entry,
	.handler = free_ret,
	.data_size = sizeof(struct free_args),
	.maxactive = 8,
};

/**
 * msia_probes_register() - start following allocations and frees
 *
 * Return: 0, or the error of the probe that failed, after one error
 * line; nothing stays registered then.
 */
int msia_probes_register(void)
{
	int ret;

	ret = register_kretprobe(&free_probe);
	if (ret) {
		pr_err("cannot probe msi_domain_free: %d\n", ret);
		return ret;
	}
	ret = register_kretprobe(&alloc_probe);
	if (ret) {
		unregister_kretprobe(&free_probe);
		pr_err("cannot probe msi_domain_alloc: %d\n", ret);
	}
	return ret;
}

/**
 * msia_probes_unregister_alloc() - stop hooking new interrupts
 *
 * Returns once no alloc handler runs any more.
 */
void msia_probes_unregister_alloc(void)
{
	unregister_kretprobe(&alloc_probe);
}

/**
 * msia_probes_unregister_free() - stop following frees
 *
 * Returns once no free handler runs any more.
 */
void msia_probes_unregister_free(void)
{
	unregister_kretprobe(&free_probe);
}

/**
 * msia_probes_show() - how often each probe could not run
 * @sf: the debugfs file
 *
 * A missed alloc leaves an interrupt unmanaged, a missed free leaves a
 * hook on an interrupt being freed: both must stay 0.
 */
void msia_probes_show(struct seq_file *sf)
{
	seq_printf(sf, "msi_domain_alloc nmissed %lu\n", alloc_probe.kp.nmissed);
	seq_printf(sf, "msi_domain_alloc return_nmissed %d\n", alloc_probe.nmissed);
	seq_printf(sf, "msi_domain_free nmissed %lu\n", free_probe.kp.nmissed);
	seq_printf(sf, "msi_domain_free return_nmissed %d\n", free_probe.nmissed);
}
