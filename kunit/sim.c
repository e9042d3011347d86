// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit fake behind struct msia_hw_ops: one PCI function and
 * SIM_CPUS local APICs.  See sim.h.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include "sim.h"

#define MSIX_CTRL_ENABLE	0x8000

static const char * const kind_names[SIM_NR_KINDS] = {
	[SIM_MSI32] = "msi32",
	[SIM_MSI64] = "msi64",
	[SIM_MSI64_MASK] = "msi64-mask",
	[SIM_MSIX] = "msix",
	[SIM_MSIX_NOMASK] = "msix-nomask",
};

/**
 * sim_kind_name() - short name of a device kind, for parameter names
 * @kind: the kind
 *
 * Return: a static string.
 */
const char *sim_kind_name(enum sim_kind kind)
{
	return kind_names[kind];
}

static bool is_msix(const struct sim *s)
{
	return s->kind == SIM_MSIX || s->kind == SIM_MSIX_NOMASK;
}

static bool is_64(const struct sim *s)
{
	return s->kind != SIM_MSI32;
}

static u32 cfg_get(const struct sim *s, unsigned int off, unsigned int size)
{
	u32 v = 0;

	memcpy(&v, &s->cfg[off], size);
	return v;
}

static void cfg_put(struct sim *s, unsigned int off, unsigned int size, u32 v)
{
	memcpy(&s->cfg[off], &v, size);
}

static unsigned int msi_data_off(const struct sim *s)
{
	return SIM_CAP + (is_64(s) ? MSIA_MSI_DATA_64 : MSIA_MSI_DATA_32);
}

static unsigned int msi_mask_off(const struct sim *s)
{
	return SIM_CAP + (is_64(s) ? MSIA_MSI_MASK_64 : MSIA_MSI_MASK_32);
}

/**
 * sim_entry_masked() - is the device's entry masked right now?
 * @s: the simulation
 *
 * Return: true if a message sent now would set the pending bit instead.
 */
bool sim_entry_masked(const struct sim *s)
{
	if (is_msix(s))
		return s->msix[3] & MSIA_MSIX_CTRL_MASK;
	if (s->kind == SIM_MSI64_MASK)
		return cfg_get(s, msi_mask_off(s), 4) & 1;
	return false;
}

/**
 * sim_enabled() - is MSI (or MSI-X) enabled in the capability?
 * @s: the simulation
 *
 * Return: false if the device would signal through INTx.
 */
bool sim_enabled(const struct sim *s)
{
	u16 flags = cfg_get(s, SIM_CAP + MSIA_MSI_FLAGS, 2);

	return flags & (is_msix(s) ? MSIX_CTRL_ENABLE : MSIA_MSI_FLAGS_ENABLE);
}

static void current_msg(const struct sim *s, u32 *addr_lo, u32 *data)
{
	if (is_msix(s)) {
		*addr_lo = s->msix[0];
		*data = s->msix[2];
		return;
	}
	*addr_lo = cfg_get(s, SIM_CAP + MSIA_MSI_ADDR_LO, 4);
	*data = cfg_get(s, msi_data_off(s), 2);
}

static void apic_accept(struct sim *s, unsigned int cpu, unsigned int vec)
{
	if (cpu >= SIM_CPUS) {
		s->res.lost++;
		return;
	}
	__set_bit(vec, s->apic[cpu].irr);
}

/**
 * sim_send() - the device sends its interrupt now
 * @s: the simulation
 *
 * A masked entry latches its pending bit instead, as MSI-X and MSI with
 * per-vector masking do; a disabled function would assert INTx, which
 * no handler here expects, so that counts as lost.
 */
void sim_send(struct sim *s)
{
	u32 addr_lo, data;

	s->res.raised++;
	if (!sim_enabled(s)) {
		s->res.lost++;
		return;
	}
	if (sim_entry_masked(s)) {
		s->pending = true;
		return;
	}
	current_msg(s, &addr_lo, &data);
	apic_accept(s, SIM_DEST(addr_lo), SIM_VEC(data));
}

/* Unmasking an entry with its pending bit set sends it at once. */
static void release_pending(struct sim *s)
{
	if (!s->pending || sim_entry_masked(s))
		return;
	s->pending = false;
	s->res.raised--;	/* already counted when it was latched */
	sim_send(s);
}

/**
 * sim_drain() - let every CPU take what is pending in its IRR
 * @s: the simulation
 *
 * Runs what the real CPUs do once interrupts are enabled again, and
 * sorts each delivery by what sits at that CPU's vector.
 */
void sim_drain(struct sim *s)
{
	unsigned int cpu, vec;

	for (cpu = 0; cpu < SIM_CPUS; cpu++) {
		struct sim_apic *a = &s->apic[cpu];

		for_each_set_bit(vec, a->irr, SIM_VECTORS) {
			if (a->owner[vec] == OWN_US)
				s->res.handled++;
			else if (a->owner[vec] == OWN_OTHER)
				s->res.spurious++;
			else if (a->claimed[vec])
				s->res.stray_acked++;
			else
				s->res.lost++;
		}
		bitmap_zero(a->irr, SIM_VECTORS);
	}
}

static void after_write(struct sim *s)
{
	s->writes++;
	if (s->inject_after == (int)s->writes)
		sim_send(s);
}

static bool msg_reg(const struct sim *s, enum msia_space space,
		    unsigned int off)
{
	if (space == MSIA_SPACE_MSIX)
		return off < MSIA_MSIX_CTRL;
	return off >= SIM_CAP + MSIA_MSI_ADDR_LO && off <= msi_data_off(s);
}

static void sim_write(void *ctx, enum msia_space space, unsigned int off,
		      unsigned int size, u32 val)
{
	struct sim *s = ctx;
	bool was_masked = sim_entry_masked(s);
	bool to_table = space == MSIA_SPACE_MSIX;

	/* The space must match the capability, and the access its size. */
	if (is_msix(s) != to_table || off % size ||
	    off + size > (to_table ? 16 : 256)) {
		s->bad_accesses++;
		return;
	}
	/* A write lost on the way: the CPU issued it, the device never saw it. */
	if (s->drop_write == (int)s->writes + 1) {
		s->dropped_msg = msg_reg(s, space, off);
		after_write(s);
		return;
	}
	if (msg_reg(s, space, off)) {
		if (msia_maskable(&s->mi) && !was_masked)
			s->unmasked_msg_writes++;
		s->dirty = true;
	}

	if (space == MSIA_SPACE_MSIX)
		s->msix[off / 4] = val;
	else
		cfg_put(s, off, size, val);

	if (!sim_enabled(s))
		s->enable_cleared++;
	if (was_masked != sim_entry_masked(s)) {
		s->mask_writes++;
		if (was_masked && s->dirty)
			s->unflushed_unmask++;
	}
	release_pending(s);
	after_write(s);
}

static u32 sim_read(void *ctx, enum msia_space space, unsigned int off,
		    unsigned int size)
{
	struct sim *s = ctx;
	u32 v;

	s->reads++;
	s->dirty = false;
	if (space == MSIA_SPACE_MSIX)
		v = s->msix[off / 4];
	else
		v = cfg_get(s, off, size);
	/* A read redirected elsewhere: some other register's value. */
	if (s->corrupt_read == (int)s->reads)
		v = ~v & (size == 2 ? 0xffff : ~0u);
	return v;
}

static unsigned int sim_this_cpu(void *ctx)
{
	return ((struct sim *)ctx)->this_cpu;
}

/*
 * Writes to config space through ECAM are posted like MSI-X table
 * writes: an IRR read before a read-back may precede the device's
 * update, and then proves nothing.
 */
static bool sim_irr_pending(void *ctx, unsigned int vector)
{
	struct sim *s = ctx;

	if (s->dirty)
		s->unflushed_irr_checks++;
	return test_bit(vector, s->apic[s->this_cpu].irr);
}

/*
 * Both vector_irq[] marking and the retrigger take the vector lock in
 * the kernel, so the fake does too: a core that retriggered from inside
 * a claim would be a recursive acquisition, which lockdep reports.
 */
static void sim_lock(struct sim *s)
{
	spin_lock(&s->vector_lock);
	s->vector_lock_held = true;
}

static void sim_unlock(struct sim *s)
{
	s->vector_lock_held = false;
	spin_unlock(&s->vector_lock);
}

static void sim_claim_vector(void *ctx, unsigned int vector)
{
	struct sim *s = ctx;
	struct sim_apic *a = &s->apic[s->this_cpu];

	sim_lock(s);
	if (a->owner[vector] == OWN_NONE)
		a->claimed[vector] = true;
	sim_unlock(s);
}

static void sim_retrigger(void *ctx)
{
	struct sim *s = ctx;

	if (s->vector_lock_held)
		s->retrigger_locked++;
	sim_lock(s);
	apic_accept(s, s->retrig_cpu, s->retrig_vec);
	sim_unlock(s);
}

static const struct msia_hw_ops sim_ops = {
	.read = sim_read,
	.write = sim_write,
	.this_cpu = sim_this_cpu,
	.irr_pending = sim_irr_pending,
	.claim_vector = sim_claim_vector,
	.retrigger = sim_retrigger,
};

/**
 * sim_init() - a device whose entry delivers to @at, enabled and unmasked
 * @s: the simulation, zeroed by the caller
 * @kind: which capability the device has
 * @at: the current target; its owner on its CPU is set to us
 */
void sim_init(struct sim *s, enum sim_kind kind, const struct msia_target *at)
{
	struct msia_irq *mi = &s->mi;
	u16 flags = MSIA_MSI_FLAGS_ENABLE;

	s->kind = kind;
	s->inject_after = SIM_NO_INJECT;
	spin_lock_init(&s->vector_lock);

	mi->ops = &sim_ops;
	mi->ctx = s;
	mi->is_msix = is_msix(s);
	mi->is_64 = is_64(s);
	mi->can_mask = mi->is_msix || kind == SIM_MSI64_MASK;
	mi->no_mask = kind == SIM_MSIX_NOMASK;
	mi->cap = SIM_CAP;
	mi->mask_bit = mi->is_msix ? MSIA_MSIX_CTRL_MASK : 1;
	mi->cur = at->msg;

	if (mi->is_msix) {
		flags = MSIX_CTRL_ENABLE;
		s->msix[0] = at->msg.addr_lo;
		s->msix[1] = at->msg.addr_hi;
		s->msix[2] = at->msg.data;
	} else {
		if (mi->is_64)
			flags |= MSIA_MSI_FLAGS_64BIT;
		if (mi->can_mask)
			flags |= MSIA_MSI_FLAGS_MASKBIT;
		cfg_put(s, SIM_CAP + MSIA_MSI_ADDR_LO, 4, at->msg.addr_lo);
		if (mi->is_64)
			cfg_put(s, SIM_CAP + MSIA_MSI_ADDR_HI, 4, at->msg.addr_hi);
		cfg_put(s, msi_data_off(s), 2, at->msg.data);
	}
	cfg_put(s, SIM_CAP + MSIA_MSI_FLAGS, 2, flags);
	s->apic[at->cpu].owner[at->vector] = OWN_US;
}
