// SPDX-License-Identifier: GPL-2.0
/*
 * msi_affinity: safe affinity changes for PCI MSI and MSI-X interrupts
 * on x86 without interrupt remapping.
 *
 * Load order: judge every parameter, then follow allocations, then hook
 * what exists; nothing is hooked unless all of it is good.  Unload in
 * reverse, so that no interrupt keeps a chip or a handler in this
 * module's memory: see hook.c for why the chip copies outlive the hook.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/sched.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <xen/xen.h>
#include <msi_affinity/compat.h>
#include <msi_affinity/module.h>
#include <msi_affinity/x86.h>

/*
 * Say what was taken and why the rest was not: an administrator who
 * loads this wants to know whether anything here was at risk.  With
 * nothing at risk the module stays loaded, because it also manages the
 * interrupts of devices that appear later (hotplug, a driver bound
 * after load), and says so; unloading it is then safe and costs nothing.
 */
static void __init report_load(void)
{
	struct msia_census c;

	msia_take_census(&c);
	pr_info("managing %u interrupts (%u MSI without masking, %u maskable MSI, %u MSI-X), %u left to the kernel (%u remapped), mode=%s, stray vectors %s\n",
		c.msi + c.msi_mask + c.msix, c.msi, c.msi_mask, c.msix,
		c.skipped, c.remapped, msia_mode_name(),
		msia_apic_can_claim() ? "claimed" : "reported");
	/*
	 * A Xen PV guest's MSI goes through the hypervisor (event channels,
	 * physical IRQs bound by Xen), never through the kernel's
	 * msi_set_affinity(): nothing can appear that the module would take.
	 */
	if (xen_pv_domain())
		pr_info("Xen PV guest: Xen routes every MSI here, msi_affinity has nothing to manage and can be unloaded\n");
	else if (!c.msi)
		pr_info("no MSI without masking here: nothing is at risk now; staying loaded for devices that appear later\n");
}

/*
 * Another module that loads or unloads may have stacked a chip on one
 * of the module's, or taken one away: look, so that the reference that
 * keeps this module loaded under such a chip is taken or dropped now,
 * not only at the next move.
 */
static int msia_module_event(struct notifier_block *nb, unsigned long state,
			     void *data)
{
	if (data != THIS_MODULE &&
	    (state == MODULE_STATE_LIVE || state == MODULE_STATE_GOING))
		msia_scan_stacking();
	return NOTIFY_DONE;
}

static struct notifier_block msia_module_nb = {
	.notifier_call = msia_module_event,
};

/*
 * A chip stacked on one of the module's may call into it: unloading
 * now would leave it pointing into freed text, so wait until whoever
 * stacked it takes it away, and say so while waiting.
 */
static void msia_unhook_all_waiting(void)
{
	unsigned long next = jiffies;
	unsigned int irq;

	while ((irq = msia_unhook_all())) {
		if (time_after_eq(jiffies, next)) {
			pr_warn("irq %u: waiting for the chip stacked on msi_affinity's to be removed\n",
				irq);
			next = jiffies + 10 * HZ;
		}
		/* Idle, not uninterruptible: rmmod may wait here for long. */
		schedule_timeout_idle(HZ / 10);
	}
}

/* Kconfig and dkms.conf exclude it; a build by hand is told why. */
#ifdef CONFIG_PREEMPT_RT
#error "msi_affinity does not support PREEMPT_RT (see Kconfig)"
#endif

static int __init msia_init(void)
{
	unsigned long vector_irq;
	int ret;

	ret = msia_parse_params(&vector_irq);
	if (!ret)
		ret = msia_identify_stock();
	if (!ret)
		ret = msia_check_named();
	if (ret)
		return ret;
	/*
	 * In a Xen PV domain Xen owns the APIC: no interrupt goes through
	 * the kernel's vector table, so there is nothing to check the
	 * address against and nothing that could use it.  The package's
	 * loader passes it on every machine.
	 */
	if (xen_pv_domain() && vector_irq) {
		pr_info("vector_irq=%#lx not used: in a Xen PV domain no interrupt goes through the kernel's vector table\n",
			vector_irq);
		vector_irq = 0;
	}
	if (msia_apic_init(vector_irq)) {
		pr_err("vector_irq=%#lx is not the kernel's vector_irq table\n",
		       vector_irq);
		return -EINVAL;
	}
	if (msia_mode == MSIA_MODE_DIRECT) {
		pr_warn("mode=direct: one-step unsafe updates, interrupts WILL be lost\n");
		add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	}

	ret = msia_probes_register();
	if (ret)
		return ret;
	msia_hook_existing();
	msia_debugfs_init();
	register_module_notifier(&msia_module_nb);
	report_load();
	return 0;
}

static void __exit msia_exit(void)
{
	unregister_module_notifier(&msia_module_nb);
	msia_debugfs_exit();
	msia_probes_unregister_alloc();
	msia_unhook_all_waiting();
	msia_probes_unregister_free();
	/* Every chip copy freed, and no callback left in this module. */
	msia_rcu_barrier_tasks();
	msia_hook_exit();
	pr_info("all interrupts restored\n");
}

module_init(msia_init);
module_exit(msia_exit);

MODULE_DESCRIPTION("Safe MSI/MSI-X affinity changes: two-step moves, IRR check and retrigger, masking");
MODULE_AUTHOR("msi_affinity developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(MSIA_VERSION);
