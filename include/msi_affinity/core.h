/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msi_affinity core: how one MSI or MSI-X message is moved from one
 * CPU/vector to another without losing an interrupt.
 *
 * The core knows the register layout of the MSI capability and of an
 * MSI-X table entry, and the order in which they may be written.  It
 * reaches hardware only through struct msia_hw_ops, which has one x86
 * implementation (apic_irr.c, msix_mask.c) and one KUnit fake
 * (kunit/sim.c).  Nothing here depends on x86 headers, so the same
 * object runs under UML.
 */
#ifndef _MSI_AFFINITY_CORE_H
#define _MSI_AFFINITY_CORE_H

#include <linux/types.h>

/* Which register space an access goes to. */
enum msia_space {
	/* PCI configuration space; offsets from the start of the function. */
	MSIA_SPACE_CFG,
	/* One MSI-X table entry; offsets from the start of that entry. */
	MSIA_SPACE_MSIX,
};

/* Offsets inside an MSI-X table entry (PCIe r5.0, sec 7.7.2). */
#define MSIA_MSIX_ADDR_LO	0x0
#define MSIA_MSIX_ADDR_HI	0x4
#define MSIA_MSIX_DATA		0x8
#define MSIA_MSIX_CTRL		0xc
#define MSIA_MSIX_CTRL_MASK	0x1

/* Offsets inside the MSI capability, from the capability pointer. */
#define MSIA_MSI_FLAGS		0x2
#define MSIA_MSI_FLAGS_ENABLE	0x1
#define MSIA_MSI_FLAGS_64BIT	0x80
#define MSIA_MSI_FLAGS_MASKBIT	0x100
#define MSIA_MSI_ADDR_LO	0x4
#define MSIA_MSI_ADDR_HI	0x8
#define MSIA_MSI_DATA_32	0x8
#define MSIA_MSI_DATA_64	0xc
#define MSIA_MSI_MASK_32	0xc
#define MSIA_MSI_MASK_64	0x10

/**
 * enum msia_reg - a register of one entry, wherever its layout puts it
 * @MSIA_REG_ADDR_LO: message address, low 32 bits
 * @MSIA_REG_ADDR_HI: message address, high 32 bits
 * @MSIA_REG_DATA: message data
 * @MSIA_REG_MASK: the MSI mask register or the MSI-X vector control word
 */
enum msia_reg {
	MSIA_REG_ADDR_LO,
	MSIA_REG_ADDR_HI,
	MSIA_REG_DATA,
	MSIA_REG_MASK,
};

/**
 * struct msia_msg - an MSI message as the device holds it
 * @addr_lo: message address, low 32 bits (destination APIC ID on x86)
 * @addr_hi: message address, high 32 bits (0 for 32-bit MSI)
 * @data: message data (vector and delivery mode on x86)
 */
struct msia_msg {
	u32 addr_lo;
	u32 addr_hi;
	u32 data;
};

/**
 * struct msia_target - one place an interrupt can be delivered to
 * @cpu: logical CPU number
 * @vector: vector on that CPU
 * @msg: the message that delivers to @vector on @cpu
 */
struct msia_target {
	unsigned int cpu;
	unsigned int vector;
	struct msia_msg msg;
};

/**
 * struct msia_hw_ops - everything the core needs from the platform
 * @read: read @size bytes (2 or 4) at @off in @space
 * @write: write @size bytes (2 or 4) at @off in @space
 * @this_cpu: the CPU the caller runs on
 * @irr_pending: is @vector pending in this CPU's local APIC IRR?
 * @claim_vector: make a stray delivery to @vector on this CPU harmless
 *	(acknowledged without a "No irq handler" report).  Must not take a
 *	lock that @retrigger takes while the caller holds it.
 * @retrigger: raise the interrupt again at its new target, by IPI
 *
 * All are called with interrupts disabled and the interrupt's
 * descriptor lock held; none may sleep.
 */
struct msia_hw_ops {
	u32 (*read)(void *ctx, enum msia_space space, unsigned int off,
		    unsigned int size);
	void (*write)(void *ctx, enum msia_space space, unsigned int off,
		      unsigned int size, u32 val);
	unsigned int (*this_cpu)(void *ctx);
	bool (*irr_pending)(void *ctx, unsigned int vector);
	void (*claim_vector)(void *ctx, unsigned int vector);
	void (*retrigger)(void *ctx);
};

/* How messages are written. */
enum msia_mode {
	/* Two-step move, IRR check, masking around every update. */
	MSIA_MODE_SAFE,
	/* One-step writes in the kernel's order; loses interrupts (tests). */
	MSIA_MODE_DIRECT,
};

/**
 * struct msia_stats - what the core did to one interrupt
 * @migrations: updates that changed the message
 * @two_step: moves done in two steps (non-maskable, CPU and vector change)
 * @direct: updates written directly, without masking
 * @masked: updates written with the entry masked
 * @nonlocal: two-step moves not run on the old CPU, written directly
 * @cached: updates of a function outside D0: message cached, not written
 * @irr_hits: the new vector was found pending on the old CPU
 * @retriggers: retriggers sent to the new CPU
 * @cfg_reads: register reads issued
 * @cfg_writes: register writes issued
 * @heals: registers the device did not hold after the core wrote them
 *	(two reads said so), written again
 * @misreads: read-backs that differed once and matched when read again
 */
struct msia_stats {
	u64 migrations;
	u64 two_step;
	u64 direct;
	u64 masked;
	u64 nonlocal;
	u64 cached;
	u64 irr_hits;
	u64 retriggers;
	u64 cfg_reads;
	u64 cfg_writes;
	u64 heals;
	u64 misreads;
};

/**
 * struct msia_irq - the core's view of one managed interrupt
 * @ops: platform accessors
 * @ctx: passed to every op
 * @is_msix: an MSI-X table entry rather than the MSI capability
 * @is_64: MSI capability with a 64-bit address
 * @can_mask: the entry has a mask bit (always true for MSI-X)
 * @no_mask: the platform forbids touching mask bits (Xen HVM guests)
 * @cap: config offset of the MSI capability (MSI only)
 * @mask_bit: this interrupt's bit in the MSI mask register (MSI only)
 * @mask_shadow: the owner's mask register (MSI) or vector control word
 *	(MSI-X), as the kernel caches it; never changed by the core
 * @cur: the message the device holds now
 * @written: message registers written by the current update, as
 *	BIT(enum msia_reg): the ones it reads back
 * @heal_regs: registers the current update wrote again, same bits
 * @heal_seen: the message with what the read-back found in those
 *	registers, and the intended values in the others
 * @stats: counters, updated under the descriptor lock
 *
 * Locking: an msia_irq is only touched with its interrupt's descriptor
 * lock held (raw spinlock, interrupts off), which serialises every
 * update of one interrupt.  x86 without interrupt remapping gives each
 * MSI capability a single vector, so no two msia_irqs share registers.
 */
struct msia_irq {
	const struct msia_hw_ops *ops;
	void *ctx;
	bool is_msix;
	bool is_64;
	bool can_mask;
	bool no_mask;
	u8 cap;
	u32 mask_bit;
	u32 mask_shadow;
	struct msia_msg cur;
	unsigned int written;
	unsigned int heal_regs;
	struct msia_msg heal_seen;
	struct msia_stats stats;
};

/* Flags for msia_migrate(). */
#define MSIA_F_STARTED		BIT(0)	/* the interrupt is started up */
#define MSIA_F_OLD_SHUTDOWN	BIT(1)	/* old vector is the shutdown vector */
#define MSIA_F_NO_HW		BIT(2)	/* function not in D0 or disconnected */

/**
 * enum msia_path - which sequence msia_migrate() chose
 * @MSIA_PATH_NONE: nothing changed, nothing written
 * @MSIA_PATH_DIRECT: changed registers written in place
 * @MSIA_PATH_MASKED: entry masked around the writes
 * @MSIA_PATH_TWO_STEP: new vector on the old CPU first, then the new CPU
 * @MSIA_PATH_NONLOCAL: two-step was needed but not possible, direct used
 * @MSIA_PATH_CACHED: the function is not in D0: only the cache is updated
 */
enum msia_path {
	MSIA_PATH_NONE,
	MSIA_PATH_DIRECT,
	MSIA_PATH_MASKED,
	MSIA_PATH_TWO_STEP,
	MSIA_PATH_NONLOCAL,
	MSIA_PATH_CACHED,
};

enum msia_path msia_choose_path(const struct msia_irq *mi,
				const struct msia_target *old,
				const struct msia_target *new,
				unsigned int flags, enum msia_mode mode);
enum msia_path msia_migrate(struct msia_irq *mi, const struct msia_target *old,
			    const struct msia_target *new, unsigned int flags,
			    enum msia_mode mode);
bool msia_maskable(const struct msia_irq *mi);

#endif /* _MSI_AFFINITY_CORE_H */
