/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels and configurations msi_affinity
 * builds for (Debian's 6.1, 6.12 and 7.x), kept in one place.  What a
 * kernel provides is probed in its headers by Kbuild (the MSIA_HAVE_*
 * flags), never guessed from its version number, so a backport that
 * brings an interface along is taken as it is.
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

#include <linux/err.h>
#include <linux/irqnr.h>
#include <linux/msi.h>
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

/*
 * The MSI descriptor lock.  7.x renamed msi_lock_descs() to
 * __msi_lock_descs() when it added the msi_descs_lock guard; the lock
 * and its rules are the same.
 */
#ifdef MSIA_HAVE_MSI_LOCK_DESCS
static inline void msia_lock_descs(struct device *dev) { msi_lock_descs(dev); }
static inline void msia_unlock_descs(struct device *dev) { msi_unlock_descs(dev); }
#else
static inline void msia_lock_descs(struct device *dev) { __msi_lock_descs(dev); }
static inline void msia_unlock_descs(struct device *dev) { __msi_unlock_descs(dev); }
#endif

/* How many interrupt numbers exist: 7.x exports a getter, no variable. */
#ifdef MSIA_HAVE_IRQ_GET_NR_IRQS
static inline unsigned int msia_nr_irqs(void) { return irq_get_nr_irqs(); }
#else
static inline unsigned int msia_nr_irqs(void) { return nr_irqs; }
#endif

/*
 * An error pointer in the per-CPU address space.  With GCC 14 __percpu
 * is a real address space (__seg_gs) and IS_ERR() cannot take it; the
 * kernels that made it so brought IS_ERR_PCPU() along.
 */
#ifdef MSIA_HAVE_IS_ERR_PCPU
#define MSIA_IS_ERR_PCPU(p)	IS_ERR_PCPU(p)
#define MSIA_PTR_ERR_PCPU(p)	PTR_ERR_PCPU(p)
#else
#define MSIA_IS_ERR_PCPU(p)	IS_ERR((void __force *)(p))
#define MSIA_PTR_ERR_PCPU(p)	PTR_ERR((void __force *)(p))
#endif

/*
 * KUnit parameter generators.  7.x passes the test to them first;
 * MSIA_KUNIT_GEN() declares one either way, MSIA_KUNIT_GEN_CALL() calls
 * one from inside another (where a test, or NULL, is in scope as
 * @test), and MSIA_KUNIT_GEN_TEST is that test.
 */
#ifdef MSIA_HAVE_KUNIT_GEN_TEST
#define MSIA_KUNIT_GEN(name) \
	const void *(name)(struct kunit *test, const void *prev, char *desc)
#define MSIA_KUNIT_GEN_CALL(gen, prev, desc)	gen(test, prev, desc)
#define MSIA_KUNIT_GEN_TEST			test
#else
#define MSIA_KUNIT_GEN(name)	const void *(name)(const void *prev, char *desc)
#define MSIA_KUNIT_GEN_CALL(gen, prev, desc)	gen(prev, desc)
#define MSIA_KUNIT_GEN_TEST			NULL
#endif

#endif /* _MSI_AFFINITY_COMPAT_H */
