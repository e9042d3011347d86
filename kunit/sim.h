/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A simulated PCI function and set of local APICs for the core's KUnit
 * suites.  The device decodes the core's raw register accesses exactly
 * as hardware would (so a wrong offset or size shows up), can send its
 * message after any single write, and the APICs record every delivery
 * so that a lost or misdirected interrupt is counted, not assumed.
 */
#ifndef _MSIA_KUNIT_SIM_H
#define _MSIA_KUNIT_SIM_H

#include <linux/bitmap.h>
#include <linux/spinlock.h>
#include <msi_affinity/core.h>

#define SIM_CPUS	4
#define SIM_VECTORS	256
#define SIM_CAP		0x50
#define SIM_NO_INJECT	(-1)

/* x86 MSI message layout, as the simulated APICs decode it. */
#define SIM_ADDR(cpu)	(0xfee00000u | ((u32)(cpu) << 12))
#define SIM_DEST(lo)	(((lo) >> 12) & 0xff)
#define SIM_VEC(data)	((data) & 0xff)

enum sim_kind {
	SIM_MSI32,
	SIM_MSI64,
	SIM_MSI64_MASK,		/* MSI with per-vector mask and pending bits */
	SIM_MSIX,		/* MSI-X entry with a pending bit */
	SIM_MSIX_NOMASK,	/* MSI-X where the platform forbids masking */
	SIM_NR_KINDS,
};

enum sim_owner { OWN_NONE, OWN_US, OWN_OTHER };

struct sim_apic {
	DECLARE_BITMAP(irr, SIM_VECTORS);
	u8 owner[SIM_VECTORS];
	bool claimed[SIM_VECTORS];
};

/* What happened to the interrupts the device sent. */
struct sim_result {
	unsigned int raised;
	unsigned int handled;	/* reached our handler */
	unsigned int spurious;	/* reached another device's handler */
	unsigned int stray_acked; /* reached a claimed vector, acked silently */
	unsigned int lost;	/* dead vector, absent CPU, or INTx */
};

struct sim {
	enum sim_kind kind;
	struct msia_irq mi;
	u8 cfg[256];
	u32 msix[4];
	bool pending;
	struct sim_apic apic[SIM_CPUS];
	unsigned int this_cpu;

	/* Send the message once, right after this many writes. */
	int inject_after;
	/* Lose this write (1-based; 0: none), and whether it was a message one. */
	int drop_write;
	bool dropped_msg;
	/* Return the complement from this read (1-based; 0: none). */
	int corrupt_read;
	unsigned int writes;
	unsigned int reads;

	/* Where the retrigger IPI goes (the vector domain's new target). */
	unsigned int retrig_cpu;
	unsigned int retrig_vec;

	/* Rule checks. */
	unsigned int enable_cleared;
	unsigned int unmasked_msg_writes;
	unsigned int unflushed_unmask;
	unsigned int unflushed_irr_checks;
	unsigned int mask_writes;
	unsigned int bad_accesses;
	unsigned int retrigger_locked;
	bool dirty;		/* address/data written since the last read */
	spinlock_t vector_lock;
	bool vector_lock_held;

	struct sim_result res;
};

void sim_init(struct sim *s, enum sim_kind kind, const struct msia_target *at);
void sim_send(struct sim *s);
void sim_drain(struct sim *s);
bool sim_entry_masked(const struct sim *s);
bool sim_enabled(const struct sim *s);
const char *sim_kind_name(enum sim_kind kind);

#endif
