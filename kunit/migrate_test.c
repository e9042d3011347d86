// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the migration core, against the simulated device and
 * APICs in sim.c.  Every device kind is crossed with every kind of move,
 * and the device sends its interrupt after each single register write.
 */
#include <kunit/test.h>
#include <msi_affinity/compat.h>
#include "sim.h"

#define CPU_A	0
#define CPU_B	1
#define CPU_C	2
#define VEC_A	0x31
#define VEC_B	0x41
#define VEC_SHUTDOWN 0xef

struct move_case {
	const char *name;
	unsigned int old_cpu, old_vec, new_cpu, new_vec;
	unsigned int flags;
	/* The device may fire during the move (the interrupt is live). */
	bool live;
	/* Other devices own the vectors a torn or stray message would hit. */
	bool others_own;
};

enum { MV_CV, MV_CV_OWNED, MV_V, MV_C, MV_NOT_STARTED, MV_SHUTDOWN, MV_NR };

static const struct move_case moves[MV_NR] = {
	[MV_CV] = { "cpu+vector", CPU_A, VEC_A, CPU_B, VEC_B,
		    MSIA_F_STARTED, true, false },
	[MV_CV_OWNED] = { "cpu+vector,vectors-in-use", CPU_A, VEC_A, CPU_B,
			  VEC_B, MSIA_F_STARTED, true, true },
	[MV_V] = { "vector", CPU_A, VEC_A, CPU_A, VEC_B,
		   MSIA_F_STARTED, true, false },
	[MV_C] = { "cpu", CPU_A, VEC_A, CPU_C, VEC_A,
		   MSIA_F_STARTED, true, false },
	[MV_NOT_STARTED] = { "not-started", CPU_A, VEC_A, CPU_B, VEC_B,
			     0, false, false },
	[MV_SHUTDOWN] = { "from-shutdown", CPU_A, VEC_SHUTDOWN, CPU_B, VEC_B,
			  MSIA_F_STARTED | MSIA_F_OLD_SHUTDOWN, false, false },
};

/*
 * What the safe sequence must cost, per device kind and move.  The
 * reads: in config space, one per message register written, which
 * checks it and flushes; in the MSI-X table, only the flush before an
 * IRR check or an unmask.
 */
struct combo {
	enum sim_kind kind;
	const struct move_case *mv;
	enum msia_path path;
	unsigned int writes;
	unsigned int reads;
};

static const struct combo combos[] = {
	/* Non-maskable: two-step where CPU and vector change, else direct. */
	{ SIM_MSI32, &moves[MV_CV], MSIA_PATH_TWO_STEP, 2, 2 },
	{ SIM_MSI32, &moves[MV_CV_OWNED], MSIA_PATH_TWO_STEP, 2, 2 },
	{ SIM_MSI32, &moves[MV_V], MSIA_PATH_DIRECT, 1, 1 },
	{ SIM_MSI32, &moves[MV_C], MSIA_PATH_DIRECT, 1, 1 },
	{ SIM_MSI32, &moves[MV_NOT_STARTED], MSIA_PATH_DIRECT, 2, 2 },
	{ SIM_MSI32, &moves[MV_SHUTDOWN], MSIA_PATH_DIRECT, 2, 2 },
	{ SIM_MSI64, &moves[MV_CV], MSIA_PATH_TWO_STEP, 2, 2 },
	{ SIM_MSI64, &moves[MV_CV_OWNED], MSIA_PATH_TWO_STEP, 2, 2 },
	{ SIM_MSI64, &moves[MV_V], MSIA_PATH_DIRECT, 1, 1 },
	{ SIM_MSI64, &moves[MV_C], MSIA_PATH_DIRECT, 1, 1 },
	{ SIM_MSI64, &moves[MV_NOT_STARTED], MSIA_PATH_DIRECT, 2, 2 },
	{ SIM_MSI64, &moves[MV_SHUTDOWN], MSIA_PATH_DIRECT, 2, 2 },
	/* Masked: mask, changed registers, read-back, unmask. */
	{ SIM_MSI64_MASK, &moves[MV_CV], MSIA_PATH_MASKED, 4, 2 },
	{ SIM_MSI64_MASK, &moves[MV_CV_OWNED], MSIA_PATH_MASKED, 4, 2 },
	{ SIM_MSI64_MASK, &moves[MV_V], MSIA_PATH_MASKED, 3, 1 },
	{ SIM_MSI64_MASK, &moves[MV_C], MSIA_PATH_MASKED, 3, 1 },
	{ SIM_MSI64_MASK, &moves[MV_NOT_STARTED], MSIA_PATH_MASKED, 4, 2 },
	{ SIM_MSI64_MASK, &moves[MV_SHUTDOWN], MSIA_PATH_MASKED, 4, 2 },
	{ SIM_MSIX, &moves[MV_CV], MSIA_PATH_MASKED, 4, 1 },
	{ SIM_MSIX, &moves[MV_CV_OWNED], MSIA_PATH_MASKED, 4, 1 },
	{ SIM_MSIX, &moves[MV_V], MSIA_PATH_MASKED, 3, 1 },
	{ SIM_MSIX, &moves[MV_C], MSIA_PATH_MASKED, 3, 1 },
	{ SIM_MSIX, &moves[MV_NOT_STARTED], MSIA_PATH_MASKED, 4, 1 },
	{ SIM_MSIX, &moves[MV_SHUTDOWN], MSIA_PATH_MASKED, 4, 1 },
	/* Posted writes are flushed before the IRR is read. */
	{ SIM_MSIX_NOMASK, &moves[MV_CV], MSIA_PATH_TWO_STEP, 2, 1 },
	{ SIM_MSIX_NOMASK, &moves[MV_CV_OWNED], MSIA_PATH_TWO_STEP, 2, 1 },
	{ SIM_MSIX_NOMASK, &moves[MV_V], MSIA_PATH_DIRECT, 1, 0 },
	{ SIM_MSIX_NOMASK, &moves[MV_C], MSIA_PATH_DIRECT, 1, 0 },
	{ SIM_MSIX_NOMASK, &moves[MV_NOT_STARTED], MSIA_PATH_DIRECT, 2, 0 },
	{ SIM_MSIX_NOMASK, &moves[MV_SHUTDOWN], MSIA_PATH_DIRECT, 2, 0 },
};

static void combo_desc(const struct combo *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s %s",
		 sim_kind_name(c->kind), c->mv->name);
}

KUNIT_ARRAY_PARAM(combo, combos, combo_desc);

/*
 * 6.1 prints a skipped parameter as a plain "ok", so cases that apply to
 * only some combinations get generators that yield only those.
 */
static const void *combo_filter(struct kunit *test, const void *prev,
				char *desc, bool (*keep)(const struct combo *c))
{
	const struct combo *c = prev;

	do {
		c = MSIA_KUNIT_GEN_CALL(combo_gen_params, c, desc);
	} while (c && !keep(c));
	return c;
}

static bool is_live(const struct combo *c)
{
	return c->mv->live;
}

/* Moves where a one-step write has a torn state that leaves the CPU. */
static bool is_cpu_and_vector(const struct combo *c)
{
	return c->mv == &moves[MV_CV] || c->mv == &moves[MV_CV_OWNED];
}

/* Config-space kinds: the ones whose writes the port 0xcf8 race loses. */
static bool is_cfg(const struct combo *c)
{
	return c->kind == SIM_MSI32 || c->kind == SIM_MSI64 ||
	       c->kind == SIM_MSI64_MASK;
}

static bool is_cfg_live(const struct combo *c)
{
	return is_cfg(c) && c->mv->live;
}

static MSIA_KUNIT_GEN(cfg_gen_params)
{
	return combo_filter(MSIA_KUNIT_GEN_TEST, prev, desc, is_cfg);
}

static MSIA_KUNIT_GEN(cfg_live_gen_params)
{
	return combo_filter(MSIA_KUNIT_GEN_TEST, prev, desc, is_cfg_live);
}

static MSIA_KUNIT_GEN(live_gen_params)
{
	return combo_filter(MSIA_KUNIT_GEN_TEST, prev, desc, is_live);
}

static MSIA_KUNIT_GEN(cpu_vector_gen_params)
{
	return combo_filter(MSIA_KUNIT_GEN_TEST, prev, desc, is_cpu_and_vector);
}

static struct msia_target target(unsigned int cpu, unsigned int vec)
{
	struct msia_target t = {
		.cpu = cpu,
		.vector = vec,
		.msg = { .addr_lo = SIM_ADDR(cpu), .addr_hi = 0, .data = vec },
	};

	return t;
}

/*
 * A fresh simulation for one move: the vector domain has already
 * allocated the new vector, and the old one stays ours until cleanup.
 */
static struct sim *setup(struct kunit *test, enum sim_kind kind,
			 const struct move_case *mv, struct msia_target *old,
			 struct msia_target *new)
{
	struct sim *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	*old = target(mv->old_cpu, mv->old_vec);
	*new = target(mv->new_cpu, mv->new_vec);
	sim_init(s, kind, old);
	s->apic[mv->new_cpu].owner[mv->new_vec] = OWN_US;
	s->this_cpu = mv->old_cpu;
	s->retrig_cpu = mv->new_cpu;
	s->retrig_vec = mv->new_vec;
	if (mv->others_own) {
		s->apic[mv->new_cpu].owner[mv->old_vec] = OWN_OTHER;
		s->apic[mv->old_cpu].owner[mv->new_vec] = OWN_OTHER;
	}
	return s;
}

/* Run one move with the device firing after @inject writes (0: before). */
static struct sim *run_move(struct kunit *test, enum sim_kind kind,
			    const struct move_case *mv, int inject,
			    enum msia_mode mode)
{
	struct msia_target old, new;
	struct sim *s = setup(test, kind, mv, &old, &new);

	if (inject == 0)
		sim_send(s);
	else
		s->inject_after = inject;
	msia_migrate(&s->mi, &old, &new, mv->flags, mode);
	sim_drain(s);
	return s;
}

static void deliver_exactly_once(struct kunit *test)
{
	const struct combo *c = test->param_value;
	unsigned int k;

	/* No interrupt raised: nothing delivered, nothing replayed. */
	{
		struct sim *s = run_move(test, c->kind, c->mv, SIM_NO_INJECT,
					 MSIA_MODE_SAFE);

		KUNIT_EXPECT_EQ(test, s->res.handled, 0u);
		KUNIT_EXPECT_EQ(test, s->res.lost, 0u);
		KUNIT_EXPECT_EQ(test, s->mi.stats.retriggers, 0ull);
	}

	for (k = 0; k <= c->writes; k++) {
		struct sim *s = run_move(test, c->kind, c->mv, k,
					 MSIA_MODE_SAFE);

		KUNIT_EXPECT_EQ_MSG(test, s->res.raised, 1u, "k=%u", k);
		KUNIT_EXPECT_EQ_MSG(test, s->res.handled, 1u, "k=%u", k);
		KUNIT_EXPECT_EQ_MSG(test, s->res.lost, 0u, "k=%u", k);
		KUNIT_EXPECT_LE_MSG(test, s->res.spurious + s->res.stray_acked,
				    1u, "k=%u", k);
		KUNIT_EXPECT_FALSE_MSG(test, s->pending, "k=%u", k);
	}
}

static void register_rules(struct kunit *test)
{
	const struct combo *c = test->param_value;
	unsigned int k;

	for (k = 0; k <= c->writes; k++) {
		struct sim *s = run_move(test, c->kind, c->mv, k,
					 MSIA_MODE_SAFE);
		const struct msia_msg *want = &s->mi.cur;
		u32 lo = s->mi.is_msix ? s->msix[0] :
			 *(u32 *)&s->cfg[SIM_CAP + MSIA_MSI_ADDR_LO];

		KUNIT_EXPECT_EQ(test, s->bad_accesses, 0u);
		KUNIT_EXPECT_EQ(test, s->enable_cleared, 0u);
		KUNIT_EXPECT_TRUE(test, sim_enabled(s));
		KUNIT_EXPECT_EQ(test, s->unmasked_msg_writes, 0u);
		KUNIT_EXPECT_EQ(test, s->unflushed_unmask, 0u);
		KUNIT_EXPECT_EQ(test, s->unflushed_irr_checks, 0u);
		KUNIT_EXPECT_FALSE(test, sim_entry_masked(s));
		KUNIT_EXPECT_EQ(test, s->retrigger_locked, 0u);
		if (s->mi.no_mask)
			KUNIT_EXPECT_EQ(test, s->mask_writes, 0u);
		/* The cached message is what the device now holds. */
		KUNIT_EXPECT_EQ(test, want->addr_lo, SIM_ADDR(c->mv->new_cpu));
		KUNIT_EXPECT_EQ(test, want->data, c->mv->new_vec);
		KUNIT_EXPECT_EQ(test, lo, want->addr_lo);
	}
}

static void write_counts(struct kunit *test)
{
	const struct combo *c = test->param_value;
	struct msia_target old, new;
	struct sim *s = setup(test, c->kind, c->mv, &old, &new);
	enum msia_path path;

	path = msia_migrate(&s->mi, &old, &new, c->mv->flags, MSIA_MODE_SAFE);
	KUNIT_EXPECT_EQ(test, path, c->path);
	KUNIT_EXPECT_EQ(test, s->writes, c->writes);
	KUNIT_EXPECT_EQ(test, s->reads, c->reads);
	KUNIT_EXPECT_EQ(test, s->mi.stats.cfg_writes, (u64)c->writes);
	KUNIT_EXPECT_EQ(test, s->mi.stats.cfg_reads, (u64)c->reads);
	KUNIT_EXPECT_EQ(test, s->mi.stats.migrations, 1ull);

	/* Nothing left to change: nothing written. */
	path = msia_migrate(&s->mi, &new, &new, c->mv->flags, MSIA_MODE_SAFE);
	KUNIT_EXPECT_EQ(test, path, MSIA_PATH_NONE);
	KUNIT_EXPECT_EQ(test, s->writes, c->writes);
}

/* The detector works: the one-step order loses for some injection point. */
static void naive_order_loses(struct kunit *test)
{
	const struct combo *c = test->param_value;
	unsigned int k, lost = 0;

	for (k = 0; k <= 3; k++) {
		struct sim *s = run_move(test, c->kind, c->mv, k,
					 MSIA_MODE_DIRECT);

		if (s->res.handled != 1)
			lost++;
	}
	KUNIT_EXPECT_GT(test, lost, 0u);
}

/* The device holds @want in its address and data registers. */
static bool holds(const struct sim *s, const struct msia_msg *want)
{
	u32 lo, data;

	if (s->mi.is_msix) {
		lo = s->msix[0];
		data = s->msix[2];
	} else {
		memcpy(&lo, &s->cfg[SIM_CAP + MSIA_MSI_ADDR_LO], 4);
		data = 0;
		memcpy(&data, &s->cfg[SIM_CAP + (s->mi.is_64 ?
			MSIA_MSI_DATA_64 : MSIA_MSI_DATA_32)], 2);
	}
	return lo == want->addr_lo && data == (want->data & 0xffff);
}

/*
 * Each write of the update lost in turn, as a config write the AMD
 * bring-up race redirects: a lost message register is found by the
 * read-back and written again, and the device ends up holding the new
 * message.  A lost mask write is not the read-back's business.  Config
 * space only: the race cannot touch the MSI-X table.
 */
static void lost_write_healed(struct kunit *test)
{
	const struct combo *c = test->param_value;
	unsigned int k;

	for (k = 1; k <= c->writes; k++) {
		struct msia_target old, new;
		struct sim *s = setup(test, c->kind, c->mv, &old, &new);

		s->drop_write = k;
		msia_migrate(&s->mi, &old, &new, c->mv->flags, MSIA_MODE_SAFE);
		KUNIT_EXPECT_TRUE_MSG(test, holds(s, &new.msg), "k=%u", k);
		KUNIT_EXPECT_EQ_MSG(test, s->mi.stats.heals,
				    s->dropped_msg ? 1ull : 0ull, "k=%u", k);
		KUNIT_EXPECT_EQ_MSG(test, s->unflushed_irr_checks, 0u, "k=%u", k);
		if (!s->dropped_msg)
			continue;
		/* The rewrite too happens with the entry masked. */
		KUNIT_EXPECT_EQ_MSG(test, s->unmasked_msg_writes, 0u, "k=%u", k);
		KUNIT_EXPECT_NE_MSG(test, s->mi.heal_regs, 0u, "k=%u", k);
	}
}

/*
 * A lost message write must not lose the interrupt either: the device
 * sends it after any single write, the lost one and the rewrite
 * included, and it is delivered exactly once.  In the two-step move a
 * lost data write is found before the address moves, so the tear (new
 * CPU, old vector) never exists even then.
 */
static void lost_write_delivers(struct kunit *test)
{
	const struct combo *c = test->param_value;
	unsigned int k, j;

	for (k = 1; k <= c->writes; k++) {
		for (j = 0; j <= c->writes + 1; j++) {
			struct msia_target old, new;
			struct sim *s = setup(test, c->kind, c->mv, &old, &new);

			s->drop_write = k;
			if (j == 0)
				sim_send(s);
			else
				s->inject_after = j;
			msia_migrate(&s->mi, &old, &new, c->mv->flags,
				     MSIA_MODE_SAFE);
			sim_drain(s);
			/* A lost mask write is another matter (see above). */
			if (!s->dropped_msg)
				continue;
			KUNIT_EXPECT_EQ_MSG(test, s->res.handled, 1u,
					    "k=%u j=%u", k, j);
			KUNIT_EXPECT_EQ_MSG(test, s->res.lost, 0u,
					    "k=%u j=%u", k, j);
			KUNIT_EXPECT_LE_MSG(test, s->res.spurious +
					    s->res.stray_acked, 1u,
					    "k=%u j=%u", k, j);
		}
	}
}

/*
 * The detector works: written as the stock kernel writes (the unsafe
 * mode, no read-back), a lost message write leaves the device stale.
 */
static void lost_write_stays_without_check(struct kunit *test)
{
	const struct combo *c = test->param_value;
	struct msia_target old, new;
	struct sim *s = setup(test, c->kind, c->mv, &old, &new);

	s->drop_write = 1;
	msia_migrate(&s->mi, &old, &new, c->mv->flags, MSIA_MODE_DIRECT);
	KUNIT_EXPECT_TRUE(test, s->dropped_msg);
	KUNIT_EXPECT_FALSE(test, holds(s, &new.msg));
	KUNIT_EXPECT_EQ(test, s->mi.stats.heals, 0ull);
}

/* A read-back misdirected once is read again, and nothing is rewritten. */
static void misread_not_rewritten(struct kunit *test)
{
	const struct combo *c = test->param_value;
	struct msia_target old, new;
	struct sim *s = setup(test, c->kind, c->mv, &old, &new);

	s->corrupt_read = 1;
	msia_migrate(&s->mi, &old, &new, c->mv->flags, MSIA_MODE_SAFE);
	KUNIT_EXPECT_TRUE(test, holds(s, &new.msg));
	KUNIT_EXPECT_EQ(test, s->mi.stats.heals, 0ull);
	KUNIT_EXPECT_EQ(test, s->mi.stats.misreads, 1ull);
	KUNIT_EXPECT_EQ(test, s->writes, c->writes);
	KUNIT_EXPECT_EQ(test, s->reads, c->reads + 1);
	KUNIT_EXPECT_FALSE(test, sim_entry_masked(s));
}

static const enum sim_kind all_kinds[] = {
	SIM_MSI32, SIM_MSI64, SIM_MSI64_MASK, SIM_MSIX, SIM_MSIX_NOMASK,
};

static void kind_desc(const enum sim_kind *k, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", sim_kind_name(*k));
}

KUNIT_ARRAY_PARAM(kind, all_kinds, kind_desc);

/* A stray on the intermediate vector is replayed once, outside the lock. */
static void retrigger_outside_lock(struct kunit *test)
{
	const enum sim_kind *kind = test->param_value;
	struct sim *s;

	/* Inject after step 1, the data write: the (old CPU, new vector) state. */
	s = run_move(test, *kind, &moves[MV_CV], 1, MSIA_MODE_SAFE);
	KUNIT_ASSERT_FALSE(test, msia_maskable(&s->mi));
	KUNIT_EXPECT_EQ(test, s->mi.stats.irr_hits, 1ull);
	KUNIT_EXPECT_EQ(test, s->mi.stats.retriggers, 1ull);
	KUNIT_EXPECT_EQ(test, s->retrigger_locked, 0u);
	KUNIT_EXPECT_EQ(test, s->res.handled, 1u);
	KUNIT_EXPECT_EQ(test, s->res.stray_acked, 1u);
}

/* Without the IRR check on the right CPU, two-step is not attempted. */
static void nonlocal_falls_back(struct kunit *test)
{
	const enum sim_kind *kind = test->param_value;
	struct msia_target old, new;
	struct sim *s = setup(test, *kind, &moves[MV_CV], &old, &new);
	enum msia_path path;

	s->this_cpu = CPU_C;
	path = msia_migrate(&s->mi, &old, &new, MSIA_F_STARTED,
			    MSIA_MODE_SAFE);
	if (msia_maskable(&s->mi)) {
		KUNIT_EXPECT_EQ(test, path, MSIA_PATH_MASKED);
		return;
	}
	KUNIT_EXPECT_EQ(test, path, MSIA_PATH_NONLOCAL);
	KUNIT_EXPECT_EQ(test, s->mi.stats.nonlocal, 1ull);
	KUNIT_EXPECT_EQ(test, s->mi.stats.direct, 1ull);
}

/*
 * A function outside D0 (suspend, fixup_irqs() after the devices slept)
 * gets no register access at all; only the cached message moves, for
 * the restore on resume to write.
 */
static void not_in_d0_writes_nothing(struct kunit *test)
{
	const enum sim_kind *kind = test->param_value;
	struct msia_target old, new;
	struct sim *s = setup(test, *kind, &moves[MV_CV], &old, &new);
	enum msia_path path;

	path = msia_migrate(&s->mi, &old, &new, MSIA_F_STARTED | MSIA_F_NO_HW,
			    MSIA_MODE_SAFE);
	KUNIT_EXPECT_EQ(test, path, MSIA_PATH_CACHED);
	KUNIT_EXPECT_EQ(test, s->writes, 0u);
	KUNIT_EXPECT_EQ(test, s->reads, 0u);
	KUNIT_EXPECT_EQ(test, s->mi.stats.cached, 1ull);
	KUNIT_EXPECT_EQ(test, s->mi.cur.addr_lo, new.msg.addr_lo);
	KUNIT_EXPECT_EQ(test, s->mi.cur.data, new.msg.data);
}

static const enum sim_kind maskable_kinds[] = { SIM_MSI64_MASK, SIM_MSIX };
static const enum sim_kind nomask_kinds[] = {
	SIM_MSI32, SIM_MSI64, SIM_MSIX_NOMASK,
};

KUNIT_ARRAY_PARAM(nomask, nomask_kinds, kind_desc);

KUNIT_ARRAY_PARAM(maskable, maskable_kinds, kind_desc);

/* The owner's mask is neither lifted nor rewritten, and holds the message. */
static void owner_mask_preserved(struct kunit *test)
{
	const enum sim_kind *kind = test->param_value;
	struct msia_target old, new;
	struct sim *s = setup(test, *kind, &moves[MV_CV], &old, &new);

	if (s->mi.is_msix)
		s->msix[3] |= MSIA_MSIX_CTRL_MASK;
	else
		s->cfg[SIM_CAP + MSIA_MSI_MASK_64] |= 1;
	s->mi.mask_shadow = s->mi.mask_bit;
	s->inject_after = 1;

	msia_migrate(&s->mi, &old, &new, MSIA_F_STARTED, MSIA_MODE_SAFE);
	sim_drain(s);
	KUNIT_EXPECT_TRUE(test, sim_entry_masked(s));
	KUNIT_EXPECT_EQ(test, s->mask_writes, 0u);
	KUNIT_EXPECT_TRUE(test, s->pending);
	KUNIT_EXPECT_EQ(test, s->res.handled, 0u);
	KUNIT_EXPECT_EQ(test, s->res.lost, 0u);
}

static struct kunit_case msia_migrate_cases[] = {
	KUNIT_CASE_PARAM(deliver_exactly_once, live_gen_params),
	KUNIT_CASE_PARAM(register_rules, combo_gen_params),
	KUNIT_CASE_PARAM(write_counts, combo_gen_params),
	KUNIT_CASE_PARAM(naive_order_loses, cpu_vector_gen_params),
	KUNIT_CASE_PARAM(lost_write_healed, cfg_gen_params),
	KUNIT_CASE_PARAM(lost_write_delivers, cfg_live_gen_params),
	KUNIT_CASE_PARAM(lost_write_stays_without_check, combo_gen_params),
	KUNIT_CASE_PARAM(misread_not_rewritten, cfg_gen_params),
	KUNIT_CASE_PARAM(retrigger_outside_lock, nomask_gen_params),
	KUNIT_CASE_PARAM(nonlocal_falls_back, kind_gen_params),
	KUNIT_CASE_PARAM(not_in_d0_writes_nothing, kind_gen_params),
	KUNIT_CASE_PARAM(owner_mask_preserved, maskable_gen_params),
	{}
};

static struct kunit_suite msia_migrate_suite = {
	.name = "msi_affinity_migrate",
	.test_cases = msia_migrate_cases,
};

kunit_test_suite(msia_migrate_suite);

MODULE_LICENSE("GPL");
