// SPDX-License-Identifier: GPL-2.0
/*
 * The two-step move of a non-maskable MSI, and the choice between it,
 * a masked update and a direct one.
 *
 * A device latches address and data separately, and may send a message
 * between any two register writes.  Every sequence here is built so
 * that each intermediate (address, data) pair the device can see
 * delivers to a CPU/vector that either has the handler or can be
 * checked and replayed by the CPU doing the update.
 */
#include <linux/kernel.h>
#include <msi_affinity/core.h>

/* Where a logical register lives, for this entry's layout. */
static void reg_loc(const struct msia_irq *mi, enum msia_reg reg,
		    enum msia_space *space, unsigned int *off,
		    unsigned int *size)
{
	static const unsigned int msix_off[] = {
		[MSIA_REG_ADDR_LO] = MSIA_MSIX_ADDR_LO,
		[MSIA_REG_ADDR_HI] = MSIA_MSIX_ADDR_HI,
		[MSIA_REG_DATA] = MSIA_MSIX_DATA,
		[MSIA_REG_MASK] = MSIA_MSIX_CTRL,
	};

	if (mi->is_msix) {
		*space = MSIA_SPACE_MSIX;
		*off = msix_off[reg];
		*size = 4;
		return;
	}

	*space = MSIA_SPACE_CFG;
	*size = 4;
	switch (reg) {
	case MSIA_REG_ADDR_LO:
		*off = mi->cap + MSIA_MSI_ADDR_LO;
		break;
	case MSIA_REG_ADDR_HI:
		*off = mi->cap + MSIA_MSI_ADDR_HI;
		break;
	case MSIA_REG_DATA:
		/* MSI data is 16 bits; the upper half is reserved or ext data. */
		*off = mi->cap + (mi->is_64 ? MSIA_MSI_DATA_64 : MSIA_MSI_DATA_32);
		*size = 2;
		break;
	case MSIA_REG_MASK:
		*off = mi->cap + (mi->is_64 ? MSIA_MSI_MASK_64 : MSIA_MSI_MASK_32);
		break;
	}
}

static void reg_write(struct msia_irq *mi, enum msia_reg reg, u32 val)
{
	enum msia_space space;
	unsigned int off, size;

	reg_loc(mi, reg, &space, &off, &size);
	mi->ops->write(mi->ctx, space, off, size, val);
	mi->stats.cfg_writes++;
	if (reg != MSIA_REG_MASK)
		mi->written |= BIT(reg);
}

static u32 reg_read(struct msia_irq *mi, enum msia_reg reg)
{
	enum msia_space space;
	unsigned int off, size;

	reg_loc(mi, reg, &space, &off, &size);
	mi->stats.cfg_reads++;
	return mi->ops->read(mi->ctx, space, off, size);
}

/*
 * Each register write is one bus transaction that the device applies
 * whole, so skipping the unchanged ones both saves config cycles (each
 * a VM exit under a hypervisor) and removes intermediate states.
 */
static void write_addr(struct msia_irq *mi, const struct msia_msg *msg)
{
	if (msg->addr_lo != mi->cur.addr_lo) {
		reg_write(mi, MSIA_REG_ADDR_LO, msg->addr_lo);
		mi->cur.addr_lo = msg->addr_lo;
	}
	if (msg->addr_hi != mi->cur.addr_hi) {
		/* A 32-bit MSI has no upper word; the cache follows anyway. */
		if (mi->is_msix || mi->is_64)
			reg_write(mi, MSIA_REG_ADDR_HI, msg->addr_hi);
		mi->cur.addr_hi = msg->addr_hi;
	}
}

static void write_data(struct msia_irq *mi, const struct msia_msg *msg)
{
	if (msg->data == mi->cur.data)
		return;
	reg_write(mi, MSIA_REG_DATA, msg->data);
	mi->cur.data = msg->data;
}

/* The kernel's own order: address first, then data. */
static void write_changed(struct msia_irq *mi, const struct msia_msg *msg)
{
	write_addr(mi, msg);
	write_data(mi, msg);
}

/* @reg's value in @msg, as the device holds it: MSI data has 16 bits. */
static u32 msg_get(const struct msia_irq *mi, const struct msia_msg *msg,
		   enum msia_reg reg)
{
	if (reg == MSIA_REG_ADDR_LO)
		return msg->addr_lo;
	if (reg == MSIA_REG_ADDR_HI)
		return msg->addr_hi;
	return mi->is_msix ? msg->data : msg->data & 0xffff;
}

static void msg_set(struct msia_msg *msg, enum msia_reg reg, u32 val)
{
	if (reg == MSIA_REG_ADDR_LO)
		msg->addr_lo = val;
	else if (reg == MSIA_REG_ADDR_HI)
		msg->addr_hi = val;
	else
		msg->data = val;
}

/*
 * All ones is what a read of a function that is gone returns; no x86
 * message address or data has that value.  Nothing to write again.
 */
static bool read_failed(const struct msia_irq *mi, enum msia_reg reg, u32 v)
{
	return v == ((reg == MSIA_REG_DATA && !mi->is_msix) ? 0xffff : ~0u);
}

/*
 * A read from the same function completes only after every earlier
 * posted write to it has landed: MSI-X table writes are posted, and so
 * are ECAM config writes.  So each read here is also the flush that the
 * IRR check and the unmask after it rely on.
 *
 * The read also checks the write.  A config write can be lost on its
 * way: on AMD families 0xf-0x16 a CPU coming online reads config space
 * through port 0xcf8 without pci_config_lock and can send another CPU's
 * access elsewhere.  The stock kernel writes every register on every
 * move, so such a loss lasts until the next move; the core writes only
 * what changed, so it would last until that register changes again.
 * What differs is read once more, since the same race redirects reads;
 * what still differs is written again and flushed.
 */
static void verify_reg(struct msia_irq *mi, enum msia_reg reg)
{
	u32 want = msg_get(mi, &mi->cur, reg);
	u32 seen = reg_read(mi, reg);

	if (seen == want || read_failed(mi, reg, seen))
		return;
	if (reg_read(mi, reg) == want) {
		mi->stats.misreads++;
		return;
	}
	reg_write(mi, reg, want);
	reg_read(mi, reg);
	msg_set(&mi->heal_seen, reg, seen);
	mi->heal_regs |= BIT(reg);
	mi->stats.heals++;
}

/*
 * Read back the message registers in @regs that this update wrote to
 * config space, data first.  The MSI-X table is memory, which the port
 * 0xcf8 race cannot touch: there only the flush's read of the data
 * register is made, and checked for free.
 */
static void verify_written(struct msia_irq *mi, unsigned int regs)
{
	static const enum msia_reg order[] = {
		MSIA_REG_DATA, MSIA_REG_ADDR_LO, MSIA_REG_ADDR_HI,
	};
	unsigned int i;

	if (mi->is_msix) {
		verify_reg(mi, MSIA_REG_DATA);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(order); i++)
		if (regs & mi->written & BIT(order[i]))
			verify_reg(mi, order[i]);
}

#define MSG_REGS (BIT(MSIA_REG_DATA) | BIT(MSIA_REG_ADDR_LO) | \
		  BIT(MSIA_REG_ADDR_HI))

/**
 * msia_maskable() - may the core mask this entry around an update?
 * @mi: the interrupt
 *
 * MSI-X entries always have a mask bit; MSI only with per-vector
 * masking.  Some hypervisors (Xen HVM) pass guest mask writes to the
 * real device behind their own back, so the platform can forbid it.
 * This is decided from the device, never from IRQD_CAN_RESERVE, whose
 * inverted use is the stock 6.1 bug.
 *
 * Return: true if the update can be done with the entry masked.
 */
bool msia_maskable(const struct msia_irq *mi)
{
	return !mi->no_mask && (mi->is_msix || mi->can_mask);
}

static bool msg_equal(const struct msia_msg *a, const struct msia_msg *b)
{
	return a->addr_lo == b->addr_lo && a->addr_hi == b->addr_hi &&
	       a->data == b->data;
}

/**
 * msia_choose_path() - decide how to write a new message
 * @mi: the interrupt, with @mi->cur the message the device holds
 * @old: where the interrupt is delivered now
 * @new: where it must be delivered after the update
 * @flags: MSIA_F_* state of the interrupt
 * @mode: MSIA_MODE_SAFE, or MSIA_MODE_DIRECT for the unsafe test mode
 *
 * Return: the sequence msia_migrate() will use.
 */
enum msia_path msia_choose_path(const struct msia_irq *mi,
				const struct msia_target *old,
				const struct msia_target *new,
				unsigned int flags, enum msia_mode mode)
{
	const struct msia_msg *cur = &mi->cur, *msg = &new->msg;

	if (msg_equal(cur, msg))
		return MSIA_PATH_NONE;
	/*
	 * A function outside D0 may ignore or drop register writes; the
	 * kernel restores the cached message when it returns to D0.
	 */
	if (flags & MSIA_F_NO_HW)
		return MSIA_PATH_CACHED;
	if (mode == MSIA_MODE_DIRECT)
		return MSIA_PATH_DIRECT;
	if (msia_maskable(mi))
		return MSIA_PATH_MASKED;
	/*
	 * One register changing is one write the device applies whole, and
	 * an interrupt that is not live cannot fire between writes.
	 */
	if (!(flags & MSIA_F_STARTED) || (flags & MSIA_F_OLD_SHUTDOWN))
		return MSIA_PATH_DIRECT;
	if (cur->data == msg->data ||
	    (cur->addr_lo == msg->addr_lo && cur->addr_hi == msg->addr_hi))
		return MSIA_PATH_DIRECT;
	/*
	 * The IRR check only means something on the CPU whose APIC the
	 * intermediate message targets.
	 */
	if (mi->ops->this_cpu(mi->ctx) != old->cpu)
		return MSIA_PATH_NONLOCAL;
	return MSIA_PATH_TWO_STEP;
}

static void migrate_masked(struct msia_irq *mi, const struct msia_msg *msg)
{
	/* An entry its owner masked stays masked: we neither set nor clear it. */
	bool owner_masked = mi->mask_shadow & mi->mask_bit;

	if (!owner_masked)
		reg_write(mi, MSIA_REG_MASK, mi->mask_shadow | mi->mask_bit);
	write_changed(mi, msg);
	verify_written(mi, MSG_REGS);
	/* A message the device held back while masked goes out now, new. */
	if (!owner_masked)
		reg_write(mi, MSIA_REG_MASK, mi->mask_shadow);
	mi->stats.masked++;
}

/*
 * Old (cpu A, vector a) to new (cpu B, vector b), on cpu A with
 * interrupts off:
 *
 *   step  address  data   a message sent now goes to
 *   0     A        a      A/a: still has the handler
 *   1     A        b      A/b: held in A's IRR, seen below
 *   2     B        b      B/b: the new target
 *
 * A tear (B, a) never exists, so nothing reaches a vector on B that
 * may belong to nobody.
 */
static void migrate_two_step(struct msia_irq *mi,
			     const struct msia_target *new)
{
	const struct msia_hw_ops *ops = mi->ops;

	ops->claim_vector(mi->ctx, new->vector);
	write_data(mi, &new->msg);
	/*
	 * A data write lost here would turn step 2 into the tear: check it
	 * before the address moves (config space only, verify_written()).
	 */
	if (!mi->is_msix)
		verify_written(mi, BIT(MSIA_REG_DATA));
	write_addr(mi, &new->msg);
	/*
	 * The IRR below proves nothing about a device that does not hold
	 * step 2 yet: read it back first.
	 */
	verify_written(mi, BIT(MSIA_REG_ADDR_LO) | BIT(MSIA_REG_ADDR_HI));
	mi->stats.two_step++;

	/*
	 * No lock is held here beyond the caller's descriptor lock, because
	 * the retrigger takes the vector allocator's lock (seed 001).
	 */
	if (!ops->irr_pending(mi->ctx, new->vector))
		return;
	mi->stats.irr_hits++;
	ops->retrigger(mi->ctx);
	mi->stats.retriggers++;
}

/**
 * msia_migrate() - move one interrupt's message to a new target
 * @mi: the interrupt; @mi->cur must be what the device holds
 * @old: where the interrupt is delivered now
 * @new: where it must be delivered afterwards
 * @flags: MSIA_F_* state of the interrupt
 * @mode: MSIA_MODE_SAFE, or MSIA_MODE_DIRECT for the unsafe test mode
 *
 * Context: interrupts off, the interrupt's descriptor lock held.  A
 * two-step move is done only when the caller runs on @old->cpu; from any
 * other CPU it falls back to MSIA_PATH_NONLOCAL.  The MSI or MSI-X
 * enable bit is never written: clearing it would send the device's
 * interrupts to its INTx pin.
 *
 * Return: the sequence used.  On return @mi->cur equals @new->msg (for
 * a 32-bit MSI, whose upper address word does not exist, only in the
 * cache: the device holds the registers it has).
 */
enum msia_path msia_migrate(struct msia_irq *mi, const struct msia_target *old,
			    const struct msia_target *new, unsigned int flags,
			    enum msia_mode mode)
{
	enum msia_path path = msia_choose_path(mi, old, new, flags, mode);

	mi->written = 0;
	mi->heal_regs = 0;
	mi->heal_seen = new->msg;
	switch (path) {
	case MSIA_PATH_NONE:
		return path;
	case MSIA_PATH_CACHED:
		mi->cur = new->msg;
		mi->stats.cached++;
		break;
	case MSIA_PATH_MASKED:
		migrate_masked(mi, &new->msg);
		break;
	case MSIA_PATH_TWO_STEP:
		migrate_two_step(mi, new);
		break;
	case MSIA_PATH_NONLOCAL:
		mi->stats.nonlocal++;
		fallthrough;
	case MSIA_PATH_DIRECT:
		write_changed(mi, &new->msg);
		/*
		 * Config space only: the table's writes cannot be lost to
		 * the race, and no IRR check or unmask follows that needs
		 * them flushed.  The unsafe test mode is left as the stock
		 * kernel writes.
		 */
		if (mode == MSIA_MODE_SAFE && !mi->is_msix)
			verify_written(mi, MSG_REGS);
		mi->stats.direct++;
		break;
	}
	mi->stats.migrations++;
	return path;
}
