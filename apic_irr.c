// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC half of the x86 hardware ops: the IRR check on the old
 * CPU, the IPI retrigger on the new one, and the claim of the
 * intermediate vector so that a stray delivery to it is acknowledged
 * quietly.
 *
 * No kernel function is reached through an address found by name: on a
 * kernel built with IBT, a function whose address is never taken loses
 * its ENDBR at boot, and an indirect call to it is a control-protection
 * fault.  The only address taken by name is data (vector_irq), given by
 * the loader and checked here before use.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>
#include <msi_affinity/compat.h>
#include <msi_affinity/x86.h>

/*
 * The kernel's per-CPU vector_irq[] table, or NULL.  Not exported;
 * without it a stray delivery to the intermediate vector is still
 * replayed (IRR check) but the old CPU logs "No irq handler" for it.
 */
static vector_irq_t __percpu *msia_vector_irq;

/* Read one slot of a candidate table without trusting the address. */
static int read_slot(vector_irq_t __percpu *table, unsigned int cpu,
		     unsigned int vector, struct irq_desc **val)
{
	struct irq_desc **slot = &(*per_cpu_ptr(table, cpu))[vector];

	return copy_from_kernel_nofault(val, slot, sizeof(*val));
}

/*
 * Does @table hold, at @irq's current CPU and vector, @irq's descriptor?
 * Only a started interrupt is compared, under its descriptor lock: its
 * vector changes only under that lock, and it cannot be torn down while
 * started, so a mismatch is a wrong table, not a race.  (An interrupt
 * being freed is deactivated without the lock, and its irq_data
 * hierarchy is freed without it.)  RCU keeps the descriptor itself.
 * Return: 1 match, 0 nothing to compare, -EINVAL mismatch.
 */
static int check_irq(vector_irq_t __percpu *table, unsigned int irq)
{
	struct irq_data *irqd, *vd;
	struct irq_desc *desc, *val;
	unsigned int cpu, vector;
	unsigned long flags;
	int ret = 0;

	rcu_read_lock();
	irqd = irq_get_irq_data(irq);
	if (!irqd)
		goto unlock_rcu;
	desc = irq_data_to_desc(irqd);
	raw_spin_lock_irqsave(&desc->lock, flags);
	if (!irqd_is_started(irqd))
		goto out;
	for (vd = irqd; vd; vd = vd->parent_data)
		if (vd->domain == x86_vector_domain)
			break;
	if (!vd)
		goto out;
	vector = irqd_cfg(vd)->vector;
	cpu = cpumask_first(irq_data_get_effective_affinity_mask(irqd));
	if (vector < FIRST_EXTERNAL_VECTOR || vector >= NR_VECTORS ||
	    vector == MANAGED_IRQ_SHUTDOWN_VECTOR || cpu >= nr_cpu_ids)
		goto out;
	if (read_slot(table, cpu, vector, &val) || val != desc)
		ret = -EINVAL;
	else
		ret = 1;
out:
	raw_spin_unlock_irqrestore(&desc->lock, flags);
unlock_rcu:
	rcu_read_unlock();
	return ret;
}

/**
 * msia_apic_init() - adopt the kernel's vector table, after checking it
 * @addr: the per-CPU address of vector_irq, as /proc/kallsyms shows it,
 *	or 0 to run without claiming stray vectors
 *
 * The address comes from outside, so it is used only if, for every
 * started interrupt of the vector domain, the slot at its CPU and vector
 * holds its descriptor, and at least one such interrupt exists.
 *
 * Return: 0, or -EINVAL if @addr is not the vector table.
 */
int msia_apic_init(unsigned long addr)
{
	vector_irq_t __percpu *table = (vector_irq_t __percpu __force *)addr;
	unsigned int irq, hits = 0;
	int ret;

	msia_vector_irq = NULL;
	if (!addr)
		return 0;
	for (irq = 0; irq < msia_nr_irqs(); irq++) {
		ret = check_irq(table, irq);
		if (ret < 0)
			return ret;
		hits += ret;
	}
	if (!hits)
		return -EINVAL;
	msia_vector_irq = table;
	return 0;
}

/**
 * msia_apic_can_claim() - was the vector table given and found right?
 *
 * Return: true if stray vectors are claimed before a two-step move.
 */
bool msia_apic_can_claim(void)
{
	return msia_vector_irq;
}

static unsigned int x86_this_cpu(void *ctx)
{
	return smp_processor_id();
}

/*
 * Interrupts are off, so the IRR bit cannot be taken while we look.
 * apic->read, not apic_read(): the latter is a static call that a
 * module cannot link on newer kernels, and the callbacks in the
 * exported struct apic are address-taken functions that keep ENDBR.
 */
static bool x86_irr_pending(void *ctx, unsigned int vector)
{
	u32 irr = apic->read(APIC_IRR + (vector / 32) * 0x10);

	return irr & BIT(vector % 32);
}

/*
 * The kernel marks such a vector under vector_lock, which is not
 * exported.  A compare-and-exchange from "unused" is enough: the
 * allocator only ever stores a descriptor or a sentinel there, and if it
 * stores a descriptor after us, the stray goes to that handler as a
 * spurious interrupt, which is harmless.  common_interrupt() acks a
 * VECTOR_RETRIGGERED slot silently and resets it to unused.
 */
static void x86_claim_vector(void *ctx, unsigned int vector)
{
	struct irq_desc **slot;

	if (!msia_vector_irq)
		return;
	slot = &(*this_cpu_ptr(msia_vector_irq))[vector];
	cmpxchg(slot, VECTOR_UNUSED, VECTOR_RETRIGGERED);
}

/*
 * Goes through the vector domain, which sends the IPI to the new target
 * under vector_lock; the core never holds that lock.
 */
static void x86_retrigger(void *ctx)
{
	struct msia_managed *m = ctx;

	irq_chip_retrigger_hierarchy(m->irqd);
}

const struct msia_hw_ops msia_x86_ops = {
	.read = msia_reg_read,
	.write = msia_reg_write,
	.this_cpu = x86_this_cpu,
	.irr_pending = x86_irr_pending,
	.claim_vector = x86_claim_vector,
	.retrigger = x86_retrigger,
};
