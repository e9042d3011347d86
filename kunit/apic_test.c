// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the x86 half of the hardware ops (apic_irr.c), run by
 * kunit.py --arch=x86_64, and at the debug kernel's boot, on QEMU's
 * emulated local APIC: what the simulator in sim.c assumes about the
 * IRR, the retrigger and claimed vectors must hold on the real thing.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/sched.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/hw_irq.h>
#include <asm/irqdomain.h>
#include <msi_affinity/x86.h>

struct apic_ctx {
	unsigned int irq;
	bool requested;
	unsigned int vector;
	atomic_t count;
	/* A stand-in for the PCI-MSI level, child of the vector domain. */
	struct irq_data top;
	struct msia_managed m;
};

static irqreturn_t count_irq(int irq, void *data)
{
	struct apic_ctx *c = data;

	atomic_inc(&c->count);
	return IRQ_HANDLED;
}

/* One interrupt from the x86 vector domain, started, with a handler. */
static int apic_init(struct kunit *test)
{
	struct apic_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct irq_alloc_info info;
	struct irq_data *irqd;
	int irq, ret;

	KUNIT_ASSERT_NOT_NULL(test, c);
	/* From here on, a failed assertion leaves apic_exit() to undo. */
	test->priv = c;
	init_irq_alloc_info(&info, NULL);
	irq = irq_domain_alloc_irqs(x86_vector_domain, 1, NUMA_NO_NODE, &info);
	KUNIT_ASSERT_GT(test, irq, 0);
	c->irq = irq;
	irq_set_handler(irq, handle_edge_irq);
	ret = request_irq(irq, count_irq, 0, "msia-kunit", c);
	KUNIT_ASSERT_EQ(test, ret, 0);
	c->requested = true;

	irqd = irq_get_irq_data(irq);
	c->vector = irqd_cfg(irqd)->vector;
	KUNIT_ASSERT_GE(test, c->vector, (unsigned int)FIRST_EXTERNAL_VECTOR);
	/*
	 * The cases read this CPU's IRR and vector table, and the
	 * retrigger goes to the interrupt's CPU: on SMP (the debug
	 * kernel's boot has four) the case's thread moves there, which
	 * kunit.py's one-CPU boots do not need.
	 */
	ret = set_cpus_allowed_ptr(current, irq_data_get_effective_affinity_mask(irqd));
	KUNIT_ASSERT_EQ(test, ret, 0);
	c->top.parent_data = irqd;
	c->m.irqd = &c->top;
	/* Built in, the table is at hand; the module gets it from its loader. */
	KUNIT_ASSERT_EQ(test, msia_apic_init((__force unsigned long)&vector_irq), 0);
	return 0;
}

static void apic_exit(struct kunit *test)
{
	struct apic_ctx *c = test->priv;

	if (!c || !c->irq)
		return;
	if (c->requested)
		free_irq(c->irq, c);
	irq_domain_free_irqs(c->irq, 1);
}

/* Wait, interrupts on, until the handler has run @n times. */
static bool wait_count(struct apic_ctx *c, int n)
{
	int i;

	for (i = 0; i < 1000 && atomic_read(&c->count) < n; i++)
		usleep_range(100, 200);
	return atomic_read(&c->count) >= n;
}

/*
 * Poll, interrupts off, until @vector is pending here or 1 ms passed: an
 * IPI to self is not guaranteed to land in the IRR before the next
 * instruction.
 */
static bool wait_irr(unsigned int vector)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (msia_x86_ops.irr_pending(NULL, vector))
			return true;
		udelay(1);
	}
	return false;
}

/* The check in migrate_two_step(): a pending vector shows in the IRR. */
static void irr_shows_vector_raised_with_irqs_off(struct kunit *test)
{
	struct apic_ctx *c = test->priv;
	unsigned long flags;
	bool pending, other;

	local_irq_save(flags);
	KUNIT_EXPECT_FALSE(test, msia_x86_ops.irr_pending(&c->m, c->vector));
	apic->send_IPI_self(c->vector);
	pending = wait_irr(c->vector);
	other = msia_x86_ops.irr_pending(&c->m, c->vector ^ 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->count), 0);
	local_irq_restore(flags);

	KUNIT_EXPECT_TRUE(test, pending);
	KUNIT_EXPECT_FALSE(test, other);
	KUNIT_EXPECT_TRUE(test, wait_count(c, 1));
	KUNIT_EXPECT_FALSE(test, msia_x86_ops.irr_pending(&c->m, c->vector));
}

/* The retrigger goes through the vector domain to the interrupt's target. */
static void retrigger_is_delivered(struct kunit *test)
{
	struct apic_ctx *c = test->priv;
	unsigned long flags;
	bool pending;

	local_irq_save(flags);
	msia_x86_ops.retrigger(&c->m);
	/* The target is this CPU (apic_init), interrupts still off. */
	pending = wait_irr(c->vector);
	local_irq_restore(flags);

	KUNIT_EXPECT_TRUE(test, pending);
	KUNIT_EXPECT_TRUE(test, wait_count(c, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&c->count), 1);
}

/*
 * A vector no interrupt of this CPU uses.  System vectors below
 * FIRST_SYSTEM_VECTOR have no entry in the table either, but their own
 * handler (SMP 6.1 keeps its move cleanup at 0x20): a stray there never
 * reaches the claimed slot.
 */
static unsigned int find_unused_vector(void)
{
	unsigned int v;

	for (v = FIRST_EXTERNAL_VECTOR; v < FIRST_SYSTEM_VECTOR; v++)
		if (!test_bit(v, system_vectors) &&
		    __this_cpu_read(vector_irq[v]) == VECTOR_UNUSED)
			return v;
	return 0;
}

/*
 * Say which vector a driver took while the test tried it, and what the
 * slot holds now: a retry that was never seen to happen cannot be
 * told from one that hides a broken claim.
 */
static void note_taken(struct kunit *test, unsigned int cpu, unsigned int v,
		       const char *when)
{
	struct irq_desc *d = per_cpu(vector_irq, cpu)[v];

	if (IS_ERR_OR_NULL(d))
		kunit_info(test, "vector %#x on CPU %u %s: now %ld, trying another\n",
			   v, cpu, when, PTR_ERR(d));
	else
		kunit_info(test, "vector %#x on CPU %u %s: irq %u owns it, trying another\n",
			   v, cpu, when, irq_desc_get_irq(d));
}

/*
 * A stray on a claimed vector is acknowledged without "No irq handler"
 * (the run fails on that message) and the vector is unused again.
 *
 * The vector is one this CPU's table shows unused, picked without
 * vector_lock, which the test cannot take.  At the debug kernel's boot
 * drivers are still setting up (NVMe allocates its queues' vectors from
 * a work item), and a vector they take meanwhile then holds their
 * descriptor: that try proves nothing, and the next vector is tried.
 */
static void claimed_vector_acks_stray(struct kunit *test)
{
	struct irq_desc *after = VECTOR_UNUSED;
	unsigned int v, tries, cpu;
	bool claimed = false;
	unsigned long flags;

	KUNIT_ASSERT_TRUE(test, msia_apic_can_claim());
	for (tries = 0; tries < 5; tries++) {
		local_irq_save(flags);
		cpu = smp_processor_id();
		v = find_unused_vector();
		if (!v) {
			local_irq_restore(flags);
			KUNIT_FAIL(test, "no unused vector");
			return;
		}
		msia_x86_ops.claim_vector(NULL, v);
		if (__this_cpu_read(vector_irq[v]) != VECTOR_RETRIGGERED) {
			local_irq_restore(flags);
			note_taken(test, cpu, v, "taken before the claim");
			continue;
		}
		claimed = true;
		apic->send_IPI_self(v);
		KUNIT_EXPECT_TRUE(test, wait_irr(v));
		local_irq_restore(flags);

		/*
		 * Taken as soon as interrupts are on again, on this CPU
		 * still (pinned by apic_init), named so for a preemptible
		 * read.
		 */
		KUNIT_EXPECT_FALSE(test, msia_x86_ops.irr_pending(NULL, v));
		after = per_cpu(vector_irq, cpu)[v];
		if (IS_ERR_OR_NULL(after))
			break;
		note_taken(test, cpu, v, "taken after the stray");
	}
	KUNIT_EXPECT_TRUE_MSG(test, claimed, "no vector claimed in %u tries", tries);
	KUNIT_EXPECT_PTR_EQ(test, after, (struct irq_desc *)VECTOR_UNUSED);
}

/* A vector that belongs to an interrupt is never claimed over. */
static void claim_leaves_owned_vector(struct kunit *test)
{
	struct apic_ctx *c = test->priv;
	struct irq_desc *owner;
	unsigned long flags;

	local_irq_save(flags);
	owner = __this_cpu_read(vector_irq[c->vector]);
	msia_x86_ops.claim_vector(NULL, c->vector);
	KUNIT_EXPECT_PTR_EQ(test, __this_cpu_read(vector_irq[c->vector]), owner);
	local_irq_restore(flags);
	KUNIT_EXPECT_PTR_EQ(test, owner, irq_to_desc(c->irq));
}

/*
 * The table address comes from user space: one that is off by a slot,
 * or not a table at all, is refused and leaves the claim off.
 */
static void wrong_vector_table_refused(struct kunit *test)
{
	unsigned long good = (__force unsigned long)&vector_irq;

	KUNIT_EXPECT_EQ(test, msia_apic_init(good + sizeof(void *)), -EINVAL);
	KUNIT_EXPECT_FALSE(test, msia_apic_can_claim());
	KUNIT_EXPECT_EQ(test, msia_apic_init(0x1000), -EINVAL);
	KUNIT_EXPECT_FALSE(test, msia_apic_can_claim());
	KUNIT_EXPECT_EQ(test, msia_apic_init(0), 0);
	KUNIT_EXPECT_FALSE(test, msia_apic_can_claim());
	KUNIT_EXPECT_EQ(test, msia_apic_init(good), 0);
	KUNIT_EXPECT_TRUE(test, msia_apic_can_claim());
}

static struct kunit_case msia_apic_cases[] = {
	KUNIT_CASE(irr_shows_vector_raised_with_irqs_off),
	KUNIT_CASE(retrigger_is_delivered),
	KUNIT_CASE(claimed_vector_acks_stray),
	KUNIT_CASE(claim_leaves_owned_vector),
	KUNIT_CASE(wrong_vector_table_refused),
	{}
};

static struct kunit_suite msia_apic_suite = {
	.name = "msi_affinity_x86_apic",
	.init = apic_init,
	.exit = apic_exit,
	.test_cases = msia_apic_cases,
};

kunit_test_suite(msia_apic_suite);
