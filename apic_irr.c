// SPDX-License-Identifier: GPL-2.0
/*
 * The local APIC half of the x86 hardware ops: the IRR check on the old
 * CPU, the IPI retrigger on the new one, and the claim of the
 * intermediate vector so that a stray delivery to it is acknowledged
 * quietly.
 */
#include <linux/irq.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <asm/apic.h>
#include <asm/hw_irq.h>
#include <msi_affinity/x86.h>

/*
 * The per-CPU vector_irq[] table is not exported.  Without it a stray
 * delivery to the intermediate vector is still replayed (IRR check) but
 * the old CPU reports "No irq handler for vector" once it takes it.
 */
static vector_irq_t __percpu *msia_vector_irq;

/**
 * msia_lookup_symbol() - address of a kernel symbol that is not exported
 * @name: the symbol
 *
 * kallsyms_lookup_name() itself is not exported since 5.7; a kprobe
 * registered on it reports its address.  Debian's 6.1 has KPROBES and
 * KALLSYMS_ALL and no IBT, so the indirect call is sound there.
 *
 * Return: the address, or 0 if it cannot be found.
 */
unsigned long msia_lookup_symbol(const char *name)
{
	static unsigned long (*lookup)(const char *name);
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };

	if (!lookup) {
		if (register_kprobe(&kp) < 0)
			return 0;
		lookup = (unsigned long (*)(const char *))kp.addr;
		unregister_kprobe(&kp);
	}
	return lookup(name);
}

/**
 * msia_apic_init() - find the vector table used to claim stray vectors
 *
 * The module works without the table, only less quietly: see
 * msia_apic_can_claim().
 */
void msia_apic_init(void)
{
	unsigned long addr = msia_lookup_symbol("vector_irq");

	if (!addr) {
		pr_warn("msi_affinity: vector_irq not found, stray vectors will be reported\n");
		return;
	}
	msia_vector_irq = (vector_irq_t __percpu *)addr;
}

/**
 * msia_apic_can_claim() - was the vector table found?
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

/* Interrupts are off, so the IRR bit cannot be taken while we look. */
static bool x86_irr_pending(void *ctx, unsigned int vector)
{
	return lapic_vector_set_in_irr(vector);
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
