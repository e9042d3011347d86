/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels and configurations msi_affinity
 * builds for (Debian's 6.1 and 6.12), kept in one place.
 *
 * Most differences were designed away rather than wrapped: the IRR is
 * read through apic->read (6.12 turned apic_read() and
 * lapic_vector_set_in_irr() into static calls a module cannot link),
 * the platform's no-mask rule through msi_attrib.can_mask (6.12
 * replaced pci_msi_ignore_mask with MSI_FLAG_NO_MASK, and can_mask
 * carries either), and kernel functions are recognised by name through
 * sprint_symbol_no_offset() rather than found with kallsyms (IBT).
 */
#ifndef _MSI_AFFINITY_COMPAT_H
#define _MSI_AFFINITY_COMPAT_H

#include <linux/rcupdate.h>

/*
 * Wait for every callback queued by call_rcu_tasks().  Without
 * TASKS_RCU (a kernel without preemption, such as the debug test
 * kernel) call_rcu_tasks() is call_rcu() and rcu_barrier_tasks() is
 * declared but not built.
 */
static inline void msia_rcu_barrier_tasks(void)
{
	if (IS_ENABLED(CONFIG_TASKS_RCU))
		rcu_barrier_tasks();
	else
		rcu_barrier();
}

#endif /* _MSI_AFFINITY_COMPAT_H */
