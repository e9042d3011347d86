// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu: a test driver for QEMU's edu device (1234:11e8), whose one
 * MSI vector is 64-bit and not maskable: the case the two-step move
 * exists for.
 *
 * debugfs /sys/kernel/debug/msia_edu/:
 *   irq      the interrupt number
 *   fire     write N: raise N interrupts one at a time, waiting for each
 *   inject   write K: raise once right after the K-th write to the MSI
 *            capability (0 disarms); read: armed K and injections done
 *   stats    raised, handled, lost (not delivered within 2.2 s), late
 *            (delivered after 200 ms), injected, intx, msi_enabled,
 *            moves of the watched interrupt and MSI register writes to
 *            its device while the device was outside D0,
 *            and config accesses to the device since the last "reset";
 *            lost_hooked and lost_stock split the losses by window;
 *            hooked: 1 while msi_affinity's chip serves edu's interrupt
 *   stall    write "CPU MS [N]": CPU takes no interrupt for MS milliseconds,
 *            as when the host does not run that vCPU; with N, raise N
 *            interrupts right after the stall began, and keep in stats
 *            (stall_margin_ms) how much of the stall was left at the first
 *            raise
 *   scratch  write MS: for MS milliseconds write edu's Interrupt Line
 *            register (a scratch byte nothing uses under MSI) and read
 *            each value back; read: "writes N lost M misread R" of the
 *            last run
 *   losses   one line per lost interrupt (the last 64): its window, the
 *            message the device held, and the last move before it
 *   reset    write anything: zero the counters
 *   watch    write IRQ: record every move of IRQ (default: edu's own)
 *   migrate  write N: move edu's interrupt N times, round the online CPUs
 *   spread   write "CPU N": move the interrupts of the first N edu
 *            functions to CPU, the others to CPU 0
 *   offline  write CPU: time remove_cpu(CPU), then bring it back
 *   restore  write anything: save the device state, clear the MSI
 *            address and data as a reset would, restore it as resume does
 *   restored the message before and after the last restore
 *   bench    each recorded move by kind (CPU and vector, CPU only, vector
 *            only, none, failed): count, config reads and writes, median
 *            and p99 time; and the last offline time with the vectors it
 *            moved
 *   cfgcost  write N: time N config reads and N config writes of edu,
 *            interrupts off; read: "read_ns R write_ns W", the mean cost
 *   mmio     write "IRQ w" or "IRQ rw": count every CPU's writes, or
 *            reads and writes, to IRQ's MSI-X table entry (hardware
 *            watchpoints); write 0 to stop (also before the device goes:
 *            the watchpoints outlive it).  Each recorded move then also
 *            sums the accesses made inside it (bench: mmio).  Read: "irq
 *            N type T hits H" since armed
 *
 * Further edu functions (QEMU -device edu,addr=...) only get an
 * interrupt each, to load a CPU with vectors for the offline benchmark.
 *
 * QEMU's msi_notify() builds the message from live config space and
 * delivers it before the MMIO write that raised it returns, so a raise
 * from the config-write hook lands in exactly the state that write
 * left: the injection is deterministic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/hw_breakpoint.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <msi_affinity/compat.h>
#include <linux/wait.h>

#define EDU_REG_LIVENESS	0x04
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_FIRE_BIT		0x1
#define EDU_INJECT_BIT		0x2
#define EDU_WAIT_MS		200
/* After a timeout, how long a late delivery is still told from a loss. */
#define EDU_LATE_MS		2000
#define BENCH_MAX		16384
#define LOSS_MAX		64

/*
 * MOVE_FAILED: the vector domain refused (-EBUSY while the last move's
 * old vector is not yet freed), nothing was written.
 */
enum move_kind { MOVE_CPU_VECTOR, MOVE_CPU, MOVE_VECTOR, MOVE_NONE,
		 MOVE_FAILED, NR_KINDS };

static const char * const kind_names[NR_KINDS] = {
	"cpu+vector", "cpu-only", "vector-only", "none", "failed",
};

/*
 * Every recorded move of the watched interrupt, by kind.  @lock (raw:
 * the move probe runs in the interrupt's ack path) covers the arrays
 * and sums; the offline figures are written only by the offline file.
 */
struct bench {
	raw_spinlock_t lock;
	u32 *ns[NR_KINDS];
	unsigned int n[NR_KINDS];
	u64 reads[NR_KINDS];
	u64 writes[NR_KINDS];
	u64 mmio[NR_KINDS];
	u64 offline_ns;
	unsigned int offline_vectors;
};

/*
 * The last move of edu's interrupt: who made it (msi_affinity's chip or
 * the kernel's), from where (fixup_irqs() on a dying CPU, the ack path,
 * or a task), what changed, and in which order the MSI registers were
 * written (data first is msi_affinity's two-step move).
 */
struct move_rec {
	u64 seq;
	bool hooked;
	const char *ctx;
	const char *kind;
	int writes;
	int first_off;
	unsigned int cpu;
};

/* One move of edu's interrupt, for the history a loss prints. */
struct hist_rec {
	u64 seq;
	bool hooked;
	const char *ctx;
	unsigned int cpu;
	u32 cache_lo_before, cache_lo_after, dev_lo_after;
	u16 cache_data_before, cache_data_after, dev_data_after;
	int ret;
};

#define HIST_MAX	16

/* One config write to edu's MSI capability, with who made it. */
struct cfgw_rec {
	u64 ns;
	unsigned long caller;	/* return address of the config write */
	u64 move;		/* moves recorded before it (hist seq) */
	u32 val;
	u8 off, size;
	u16 cpu;
};

#define CFGW_MAX	32

/* One lost interrupt, and what could have lost it. */
struct loss_rec {
	u64 raise_seq;
	bool hooked_at_raise;
	bool hooked_at_timeout;
	bool hooked_move;	/* msi_affinity moved it in the window */
	bool stale;		/* device message differs from the kernel's */
	u32 dev_lo;
	u16 dev_data;
	unsigned int eff_cpu;
	unsigned int vector;
	struct move_rec last;
};

struct edu {
	struct pci_dev *pdev;
	void __iomem *bar;
	int irq;
	wait_queue_head_t wq;
	atomic_t handled;
	atomic_t raised;
	atomic_t lost;
	atomic_t injected;
	atomic_t armed_k;	/* raise after this many MSI writes; 0 off */
	atomic_t armed_writes;	/* MSI writes since the injection was armed */
	atomic_t msi_writes;	/* all writes to the MSI capability */
	atomic_t msi_writes_not_d0;	/* of the watched device, outside D0 */
	atomic_t moves_not_d0;	/* moves of the watched irq, outside D0 */
	atomic_t cfg_reads;
	atomic_t cfg_writes;
	struct dentry *dir;
	struct list_head node;
	/* The interrupt whose moves are recorded, and its PCI device. */
	unsigned int watch_irq;
	struct pci_dev *watch_dev;
	struct bench bench;
	/* The message around the last save/clear/restore. */
	u32 saved_lo, saved_hi, restored_lo, restored_hi;
	u16 saved_data, restored_data;
	/*
	 * Loss attribution.  @moves counts every move of edu's interrupt,
	 * @hooked_moves those msi_affinity made; @last is written by the
	 * move probe under the interrupt's descriptor lock and read under
	 * it.  @losses is written by the tasks that fire and wait, under
	 * fire_lock, and read by debugfs under it.
	 */
	atomic64_t moves;
	atomic64_t hooked_moves;
	atomic_t mv_writes;	/* MSI writes in the move in progress */
	atomic_t mv_first_off;	/* its first write, offset in the cap */
	struct move_rec last;
	/* Serialises the loss records against their reader. */
	struct mutex fire_lock;
	/* One waited raise at a time: they share EDU_FIRE_BIT. */
	struct mutex raise_lock;
	atomic_t seen;		/* status bits deliveries have found */
	struct loss_rec losses[LOSS_MAX];
	unsigned int nr_losses;
	atomic_t lost_hooked;
	atomic_t lost_stock;
	atomic_t late;		/* delivered after EDU_WAIT_MS, not lost */
	/*
	 * The last HIST_MAX moves of edu's interrupt, written under its
	 * descriptor lock; read without it, for diagnosis only.
	 */
	struct hist_rec hist[HIST_MAX];
	u64 nr_hist;
	/* The last CFGW_MAX writes to edu's MSI capability, from any CPU. */
	struct cfgw_rec cfgw[CFGW_MAX];
	atomic_t nr_cfgw;
	/* Classified set_affinity functions, to name each one once. */
	void *stock_fn, *hook_fn;
};

/*
 * All bound edu functions; the first is the_edu, with the debugfs files.
 * edu_list_lock (a mutex: probe, remove and the debugfs writers, all in
 * process context) protects the list and the choice of the_edu; the
 * probes read the_edu with READ_ONCE and never take it.
 */
static LIST_HEAD(edu_list);
static DEFINE_MUTEX(edu_list_lock);

/* One device; the kretprobes need to find it without a context pointer. */
static struct edu *the_edu;

/*
 * Every delivery counts in @handled, even one that finds the status
 * already acknowledged: a second message for the same status is still a
 * message that arrived.  A waiter, though, is satisfied only by a
 * delivery that found its own status bit (@seen), so that a duplicate,
 * such as a replay of an interrupt another device also raised on that
 * vector, can never stand in for a raise that was lost.
 */
static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;
	u32 status = readl(edu->bar + EDU_REG_IRQ_STATUS);

	if (status) {
		writel(status, edu->bar + EDU_REG_IRQ_ACK);
		atomic_or(status, &edu->seen);
	}
	atomic_inc(&edu->handled);
	wake_up(&edu->wq);
	return IRQ_HANDLED;
}

static void edu_raise(struct edu *edu, u32 bit)
{
	atomic_inc(&edu->raised);
	writel(bit, edu->bar + EDU_REG_IRQ_RAISE);
}

/*
 * Is @fn msi_affinity's hook (rather than the kernel's msi_set_affinity,
 * or another chip's own function)?  Named once per function address
 * through kallsyms; nothing is called.
 */
static bool is_hook_fn(struct edu *edu, void *fn)
{
	char name[KSYM_SYMBOL_LEN];

	if (fn == READ_ONCE(edu->stock_fn))
		return false;
	if (fn == READ_ONCE(edu->hook_fn))
		return true;
	sprint_symbol_no_offset(name, (unsigned long)fn);
	if (!strcmp(name, "msia_set_affinity [msi_affinity]")) {
		WRITE_ONCE(edu->hook_fn, fn);
		return true;
	}
	WRITE_ONCE(edu->stock_fn, fn);
	return false;
}

/* Does msi_affinity's chip serve @irq now?  Read under its lock. */
static bool edu_hooked(struct edu *edu, unsigned int irq)
{
	struct irq_data *d = irq_get_irq_data(irq);
	struct irq_desc *desc;
	unsigned long flags;
	void *fn;

	if (!d)
		return false;
	desc = irq_data_to_desc(d);
	raw_spin_lock_irqsave(&desc->lock, flags);
	fn = d->chip ? d->chip->irq_set_affinity : NULL;
	raw_spin_unlock_irqrestore(&desc->lock, flags);
	return fn && is_hook_fn(edu, fn);
}

static void edu_read_msg(struct edu *edu, u32 *lo, u32 *hi, u16 *data);
static struct kretprobe move_probe;

/*
 * A loss is msi_affinity's if its chip served the interrupt at the raise
 * or at the timeout, if it moved the interrupt in between, or if the
 * message the device holds was last written by it (whether or not the
 * kernel's cache agrees).  Anything else happened on the stock kernel's
 * paths alone.
 */
static bool loss_hooked(const struct loss_rec *r)
{
	return r->hooked_at_raise || r->hooked_at_timeout || r->hooked_move ||
	       r->last.hooked;
}

/* A raise timed out: record the window it fell in. */
static void edu_record_loss(struct edu *edu, bool hooked_at_raise,
			    u64 hooked_moves0, u64 moves0)
{
	struct irq_data *d = irq_get_irq_data(edu->irq);
	struct irq_desc *desc = irq_data_to_desc(d);
	struct loss_rec r = {
		.raise_seq = moves0,
		.hooked_at_raise = hooked_at_raise,
	};
	struct msi_desc *md;
	unsigned long flags;
	u32 hi;

	r.hooked_at_timeout = edu_hooked(edu, edu->irq);
	r.hooked_move = atomic64_read(&edu->hooked_moves) != hooked_moves0;
	edu_read_msg(edu, &r.dev_lo, &hi, &r.dev_data);
	raw_spin_lock_irqsave(&desc->lock, flags);
	md = irq_data_get_msi_desc(d);
	r.stale = md && (md->msg.address_lo != r.dev_lo ||
			 (u16)md->msg.data != r.dev_data);
	r.eff_cpu = cpumask_first(irq_data_get_effective_affinity_mask(d));
	r.vector = irqd_cfg(d)->vector;
	r.last = edu->last;
	raw_spin_unlock_irqrestore(&desc->lock, flags);

	if (loss_hooked(&r))
		atomic_inc(&edu->lost_hooked);
	else
		atomic_inc(&edu->lost_stock);
	mutex_lock(&edu->fire_lock);
	edu->losses[edu->nr_losses++ % LOSS_MAX] = r;
	mutex_unlock(&edu->fire_lock);
}

/* edu's MSI capability is 64-bit: name a register by its offset. */
static const char *msi_reg_name(int off)
{
	switch (off) {
	case PCI_MSI_FLAGS:
		return "flags";
	case PCI_MSI_ADDRESS_LO:
		return "address";
	case PCI_MSI_ADDRESS_HI:
		return "address-hi";
	case PCI_MSI_DATA_64:
		return "data";
	default:
		return "-";
	}
}

static int losses_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;
	unsigned int i, first, n;

	mutex_lock(&edu->fire_lock);
	first = edu->nr_losses > LOSS_MAX ? edu->nr_losses - LOSS_MAX : 0;
	for (i = first; i < edu->nr_losses; i++) {
		const struct loss_rec *r = &edu->losses[i % LOSS_MAX];

		seq_printf(sf, "loss %u window %s hooked_raise %d hooked_timeout %d hooked_move %d device_lo %08x device_data %04x stale %d kernel_cpu %u kernel_vector %u moves_before %llu last_move %llu by %s ctx %s cpu %u kind %s msi_writes %d first_write %s\n",
			   i, loss_hooked(r) ? "hooked" : "stock",
			   r->hooked_at_raise, r->hooked_at_timeout,
			   r->hooked_move, r->dev_lo, r->dev_data, r->stale,
			   r->eff_cpu, r->vector, r->raise_seq, r->last.seq,
			   r->last.hooked ? "msi_affinity" : "kernel",
			   r->last.ctx ?: "-", r->last.cpu,
			   r->last.kind ?: "-", r->last.writes,
			   msi_reg_name(r->last.first_off));
	}
	mutex_unlock(&edu->fire_lock);
	if (!edu->nr_losses)
		return 0;
	seq_printf(sf, "move_probe nmissed %d kp_nmissed %lu\n", move_probe.nmissed,
		   move_probe.kp.nmissed);
	for (i = 0; i < HIST_MAX && i < edu->nr_hist; i++) {
		const struct hist_rec *h =
			&edu->hist[(edu->nr_hist - 1 - i) % HIST_MAX];

		seq_printf(sf, "move -%u seq %llu by %s ctx %s cpu %u ret %d cache %08x/%04x -> %08x/%04x device %08x/%04x\n",
			   i, h->seq, h->hooked ? "msi_affinity" : "kernel",
			   h->ctx, h->cpu, h->ret, h->cache_lo_before,
			   h->cache_data_before, h->cache_lo_after,
			   h->cache_data_after, h->dev_lo_after,
			   h->dev_data_after);
	}
	n = atomic_read(&edu->nr_cfgw);
	for (i = 0; i < CFGW_MAX && i < n; i++) {
		const struct cfgw_rec *w = &edu->cfgw[(n - 1 - i) % CFGW_MAX];

		seq_printf(sf, "cfgw -%u ns %llu cpu %u after_move %llu off 0x%x size %u val 0x%x by %pS\n",
			   i, w->ns, w->cpu, w->move, w->off, w->size, w->val,
			   (void *)w->caller);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(losses);

/* Raise and wait for the handler; a timeout is a lost interrupt. */
static int edu_fire_one(struct edu *edu)
{
	u64 hooked_moves0, moves0;
	bool hooked;
	long left;

	mutex_lock(&edu->raise_lock);
	hooked = edu_hooked(edu, edu->irq);
	hooked_moves0 = atomic64_read(&edu->hooked_moves);
	moves0 = atomic64_read(&edu->moves);
	atomic_andnot(EDU_FIRE_BIT, &edu->seen);
	edu_raise(edu, EDU_FIRE_BIT);
	left = wait_event_timeout(edu->wq, atomic_read(&edu->seen) & EDU_FIRE_BIT,
				  msecs_to_jiffies(EDU_WAIT_MS));
	/*
	 * A vCPU the host does not run for a while leaves the message in its
	 * IRR, where the next raise to the same vector would merge with it:
	 * two raises, one delivery.  So wait longer before calling it lost,
	 * and count a late one apart.
	 */
	if (!left) {
		left = wait_event_timeout(edu->wq,
					  atomic_read(&edu->seen) & EDU_FIRE_BIT,
					  msecs_to_jiffies(EDU_LATE_MS));
		if (left)
			atomic_inc(&edu->late);
	}
	if (!left) {
		atomic_inc(&edu->lost);
		edu_record_loss(edu, hooked, hooked_moves0, moves0);
		/* Clear the stale status so the next raise is seen on its own. */
		writel(readl(edu->bar + EDU_REG_IRQ_STATUS),
		       edu->bar + EDU_REG_IRQ_ACK);
	}
	mutex_unlock(&edu->raise_lock);
	return left ? 0 : -ETIMEDOUT;
}

struct cfg_args {
	struct pci_bus *bus;
	unsigned int devfn;
	int where;
};

/* Config accesses are counted for the watched device (edu by default). */
static bool is_edu(const struct cfg_args *a)
{
	struct edu *edu = READ_ONCE(the_edu);
	struct pci_dev *dev = edu ? READ_ONCE(edu->watch_dev) : NULL;

	return dev && a->bus == dev->bus && a->devfn == dev->devfn;
}

static int cfg_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;

	a->bus = (struct pci_bus *)regs_get_kernel_argument(regs, 0);
	a->devfn = regs_get_kernel_argument(regs, 1);
	a->where = regs_get_kernel_argument(regs, 2);
	return is_edu(a) ? 0 : 1;	/* 1: no return probe for others */
}

/*
 * Keep every write to edu's MSI capability, with the address it returns
 * to (at the entry probe the return address is on top of the stack), so
 * a loss shows which code wrote the message the device was left with.
 */
static int cfg_write_entry(struct kretprobe_instance *ri, struct pt_regs *regs,
			   unsigned int size)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct cfgw_rec *w;
	int cap;

	if (cfg_entry(ri, regs))
		return 1;
	cap = edu->pdev->msi_cap;
	if (READ_ONCE(edu->watch_dev) != edu->pdev || !cap || a->where < cap ||
	    a->where >= cap + PCI_MSI_MASK_64)
		return 0;
	w = &edu->cfgw[(atomic_inc_return(&edu->nr_cfgw) - 1) % CFGW_MAX];
	/* A probe handler may run in the int3 trap, which is NMI-like. */
	w->ns = ktime_get_mono_fast_ns();
	w->caller = regs_get_kernel_stack_nth(regs, 0);
	w->move = READ_ONCE(edu->nr_hist);
	w->val = regs_get_kernel_argument(regs, 3);
	w->off = a->where - cap;
	w->size = size;
	w->cpu = smp_processor_id();
	return 0;
}

static int cfg_entry_b(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return cfg_write_entry(ri, regs, 1);
}

static int cfg_entry_w(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return cfg_write_entry(ri, regs, 2);
}

static int cfg_entry_l(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return cfg_write_entry(ri, regs, 4);
}

static int cfg_write_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct pci_dev *wd;
	int cap, wcap, k;

	/* The device may have gone between the entry and the return. */
	if (!edu)
		return 0;
	cap = edu->pdev->msi_cap;
	wd = READ_ONCE(edu->watch_dev);
	wcap = wd->msi_cap;
	atomic_inc(&edu->cfg_writes);
	/* A sleeping function's MSI registers are the kernel's to restore. */
	if (wcap && a->where >= wcap && a->where < wcap + PCI_MSI_MASK_64 &&
	    wd->current_state != PCI_D0)
		atomic_inc(&edu->msi_writes_not_d0);
	/* Injection counts only writes to edu's own MSI capability. */
	if (wd != edu->pdev || !cap || a->where < cap ||
	    a->where >= cap + PCI_MSI_MASK_64)
		return 0;
	atomic_inc(&edu->msi_writes);
	if (atomic_inc_return(&edu->mv_writes) == 1)
		atomic_set(&edu->mv_first_off, a->where - cap);
	k = atomic_read(&edu->armed_k);
	if (!k || atomic_inc_return(&edu->armed_writes) != k)
		return 0;
	atomic_set(&edu->armed_k, 0);
	atomic_inc(&edu->injected);
	edu_raise(edu, EDU_INJECT_BIT);
	return 0;
}

static int cfg_read_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct edu *edu = READ_ONCE(the_edu);

	if (edu)
		atomic_inc(&edu->cfg_reads);
	return 0;
}

#define CFG_PROBE(sym, entry_fn, ret_fn) {			\
	.kp.symbol_name = sym,					\
	.entry_handler = entry_fn,				\
	.handler = ret_fn,						\
	.data_size = sizeof(struct cfg_args),			\
	.maxactive = 16,					\
}

static struct kretprobe cfg_probes[] = {
	CFG_PROBE("pci_bus_write_config_byte", cfg_entry_b, cfg_write_ret),
	CFG_PROBE("pci_bus_write_config_word", cfg_entry_w, cfg_write_ret),
	CFG_PROBE("pci_bus_write_config_dword", cfg_entry_l, cfg_write_ret),
	CFG_PROBE("pci_bus_read_config_byte", cfg_entry, cfg_read_ret),
	CFG_PROBE("pci_bus_read_config_word", cfg_entry, cfg_read_ret),
	CFG_PROBE("pci_bus_read_config_dword", cfg_entry, cfg_read_ret),
};

static struct kretprobe *cfg_probe_ptrs[ARRAY_SIZE(cfg_probes)];

struct move_args {
	struct irq_data *d;
	u64 t0;
	u32 addr_lo, data;
	int reads, writes;
	long mmio;
};

/*
 * MSI-X table accesses, counted by the CPU's own debug registers: a
 * data watchpoint traps after every load or store that touches the
 * watched bytes, whoever makes it (the kernel's __pci_write_msi_msg()
 * or msi_affinity), so the count is exact and not taken from either's
 * code.  Two 8-byte watchpoints cover the 16-byte entry.  x86 has no
 * read-only watchpoint, and QEMU reports only the first of several
 * watchpoints one access hits, so writes and all accesses are counted
 * in separate runs, never together.  mmio_lock (a mutex: debugfs
 * writers only) serialises arming against disarming.
 */
static DEFINE_MUTEX(mmio_lock);
static struct perf_event * __percpu *mmio_bp[2];
/* Never reset, so that a move in flight while arming sums no negative. */
static atomic_long_t mmio_hits;
static long mmio_base;		/* mmio_hits when last armed */
static unsigned int mmio_irq;
static const char *mmio_type = "off";

/*
 * irq_do_set_affinity() calls whichever chip is installed, the kernel's
 * or msi_affinity's, so timing it compares the two at the same point,
 * on the real path (the deferred move in the ack path, or fixup_irqs()).
 */
static int move_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct irq_data *d = (struct irq_data *)regs_get_kernel_argument(regs, 0);
	struct move_args *a = (struct move_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct msi_desc *desc;

	/* edu's own moves are always recorded; the watched one is timed. */
	if (!edu || (d->irq != edu->irq && d->irq != READ_ONCE(edu->watch_irq)))
		return 1;
	desc = irq_data_get_msi_desc(d);
	if (!desc)
		return 1;
	if (d->irq == READ_ONCE(edu->watch_irq) &&
	    READ_ONCE(edu->watch_dev)->current_state != PCI_D0)
		atomic_inc(&edu->moves_not_d0);
	a->d = d;
	a->addr_lo = desc->msg.address_lo;
	a->data = desc->msg.data;
	a->reads = atomic_read(&edu->cfg_reads);
	a->writes = atomic_read(&edu->cfg_writes);
	a->mmio = atomic_long_read(&mmio_hits);
	atomic_set(&edu->mv_writes, 0);
	a->t0 = ktime_get_mono_fast_ns();	/* NMI-safe, as above */
	return 0;
}

/* Whether msi_affinity's chip served @d, and where a move runs from. */
static bool chip_hooked(struct edu *edu, struct irq_data *d)
{
	return d->chip && is_hook_fn(edu, d->chip->irq_set_affinity);
}

static const char *move_ctx(void)
{
	return !cpu_online(smp_processor_id()) ? "cpu-offline" :
	       in_hardirq() ? "ack" : "task";
}

/* The move just made, for the loss records (descriptor lock held). */
static void record_move(struct edu *edu, struct irq_data *d,
			enum move_kind kind)
{
	struct move_rec *r = &edu->last;
	/* MSI writes are counted for the watched device only. */
	bool counted = READ_ONCE(edu->watch_dev) == edu->pdev;

	r->seq = atomic64_inc_return(&edu->moves);
	r->hooked = chip_hooked(edu, d);
	if (r->hooked)
		atomic64_inc(&edu->hooked_moves);
	r->ctx = move_ctx();
	r->kind = kind_names[kind];
	r->writes = counted ? atomic_read(&edu->mv_writes) : -1;
	r->first_off = counted && r->writes ? atomic_read(&edu->mv_first_off) : -1;
	r->cpu = smp_processor_id();
}

/* Every call for edu's interrupt, failed ones too (descriptor lock held). */
static void record_hist(struct edu *edu, struct move_args *a,
			struct msi_desc *desc, int ret)
{
	struct hist_rec *h = &edu->hist[edu->nr_hist++ % HIST_MAX];
	u32 hi;

	h->seq = edu->nr_hist;
	h->hooked = chip_hooked(edu, a->d);
	h->ctx = move_ctx();
	h->cpu = smp_processor_id();
	h->cache_lo_before = a->addr_lo;
	h->cache_data_before = a->data;
	h->cache_lo_after = desc->msg.address_lo;
	h->cache_data_after = desc->msg.data;
	h->ret = ret;
	edu_read_msg(edu, &h->dev_lo_after, &hi, &h->dev_data_after);
}

static int move_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	u64 ns = ktime_get_mono_fast_ns();	/* the clock of move_entry() */
	/* unsigned long on x86; irq_do_set_affinity() returns an int in eax */
	int ret = (int)regs_return_value(regs);
	struct move_args *a = (struct move_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	struct msi_desc *desc;
	enum move_kind kind;
	unsigned long flags;
	struct bench *b;
	bool cpu, vec;

	if (!edu)
		return 0;
	desc = irq_data_get_msi_desc(a->d);
	if (!desc)
		return 0;
	if (a->d->irq == edu->irq)
		record_hist(edu, a, desc, ret);
	if (ret < 0) {
		/* Refused, nothing written: timed apart, not a move. */
		kind = MOVE_FAILED;
	} else {
		cpu = desc->msg.address_lo != a->addr_lo;
		vec = desc->msg.data != a->data;
		kind = cpu ? (vec ? MOVE_CPU_VECTOR : MOVE_CPU) :
			     (vec ? MOVE_VECTOR : MOVE_NONE);
		if (a->d->irq == edu->irq)
			record_move(edu, a->d, kind);
	}
	if (a->d->irq != READ_ONCE(edu->watch_irq))
		return 0;
	b = &edu->bench;
	raw_spin_lock_irqsave(&b->lock, flags);
	if (b->ns[kind] && b->n[kind] < BENCH_MAX) {
		b->ns[kind][b->n[kind]++] = min_t(u64, ns - a->t0, U32_MAX);
		b->reads[kind] += atomic_read(&edu->cfg_reads) - a->reads;
		b->writes[kind] += atomic_read(&edu->cfg_writes) - a->writes;
		b->mmio[kind] += atomic_long_read(&mmio_hits) - a->mmio;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return 0;
}

static struct kretprobe move_probe = {
	.kp.symbol_name = "irq_do_set_affinity",
	.entry_handler = move_entry,
	.handler = move_ret,
	.data_size = sizeof(struct move_args),
	.maxactive = 8,
};

static void bench_reset(struct edu *edu)
{
	struct bench *b = &edu->bench;
	unsigned long flags;
	int k;

	raw_spin_lock_irqsave(&b->lock, flags);
	for (k = 0; k < NR_KINDS; k++) {
		b->n[k] = 0;
		b->reads[k] = 0;
		b->writes[k] = 0;
		b->mmio[k] = 0;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/*
 * One deferred move of edu's interrupt to @cpu: the affinity write only
 * marks it pending, and the next interrupt moves it in its ack.  Until
 * the last move's old vector is freed the vector domain refuses (-EBUSY)
 * and leaves the move pending: 6.1 frees it by an IPI within
 * microseconds, 6.12 from a timer up to a jiffy later.  So raise until
 * the move is taken, then once more at the new vector, which completes
 * it.  Every migration is then one real move on both kernels.
 */
static void edu_move_to(struct edu *edu, unsigned int cpu)
{
	struct irq_data *d = irq_get_irq_data(edu->irq);
	int tries = 0;

	irq_set_affinity(edu->irq, cpumask_of(cpu));
	do {
		if (edu_fire_one(edu) || !irqd_is_setaffinity_pending(d))
			break;
		schedule_timeout_uninterruptible(1);
	} while (++tries < 50);
	edu_fire_one(edu);
	usleep_range(20, 40);
}

static ssize_t migrate_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct edu *edu = f->private_data;
	unsigned int n, i, cpu;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &n);
	if (ret)
		return ret;
	/* Start after the CPU it is on: each step is a real move. */
	cpu = cpumask_first(irq_get_effective_affinity_mask(edu->irq));
	for (i = 0; i < n; i++) {
		cpu = cpumask_next(cpu, cpu_online_mask);
		if (cpu >= nr_cpu_ids)
			cpu = cpumask_first(cpu_online_mask);
		edu_move_to(edu, cpu);
		if (signal_pending(current))
			return -EINTR;
	}
	return len;
}

/* Raise one interrupt of any edu function (the others have no waiter). */
static void edu_kick(struct edu *e)
{
	writel(EDU_FIRE_BIT, e->bar + EDU_REG_IRQ_RAISE);
}

static ssize_t spread_write(struct file *f, const char __user *buf,
			    size_t len, loff_t *pos)
{
	unsigned int cpu, count, i = 0, round;
	char tmp[32];
	struct edu *e;

	if (len >= sizeof(tmp) || copy_from_user(tmp, buf, len))
		return -EINVAL;
	tmp[len] = 0;
	if (sscanf(tmp, "%u %u", &cpu, &count) != 2 || cpu >= nr_cpu_ids ||
	    !cpu_online(cpu))
		return -EINVAL;
	mutex_lock(&edu_list_lock);
	list_for_each_entry(e, &edu_list, node)
		irq_set_affinity(e->irq, cpumask_of(i++ < count ? cpu : 0));
	/* Move at the next interrupt, complete at the one after. */
	for (round = 0; round < 3; round++) {
		list_for_each_entry(e, &edu_list, node)
			edu_kick(e);
		usleep_range(2000, 3000);
	}
	mutex_unlock(&edu_list_lock);
	return len;
}

static ssize_t offline_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct edu *edu = f->private_data;
	unsigned int cpu, vectors = 0;
	struct edu *e;
	u64 t0, t1;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &cpu);
	if (ret)
		return ret;
	mutex_lock(&edu_list_lock);
	list_for_each_entry(e, &edu_list, node) {
		struct irq_data *d = irq_get_irq_data(e->irq);

		if (cpumask_test_cpu(cpu, irq_data_get_effective_affinity_mask(d)))
			vectors++;
	}
	mutex_unlock(&edu_list_lock);
	t0 = ktime_get_ns();
	ret = remove_cpu(cpu);
	t1 = ktime_get_ns();
	if (ret)
		return ret;
	ret = add_cpu(cpu);
	edu->bench.offline_ns = t1 - t0;
	edu->bench.offline_vectors = vectors;
	return ret ? ret : len;
}

/* Set by the stalled CPU once it has interrupts off, for the writer. */
static atomic_t stall_started;
static u64 stall_t0_ns;
/* How much of the last stall was left when its first raise was made. */
static s64 stall_margin_ms;

/*
 * Runs in the IPI, interrupts off: this CPU takes none meanwhile.  It
 * ends on the clock the writer reads the margin from, not by mdelay()'s
 * calibrated loop.
 */
static void stall_fn(void *ms)
{
	u64 t0 = ktime_get_mono_fast_ns();

	WRITE_ONCE(stall_t0_ns, t0);
	atomic_set_release(&stall_started, 1);
	while (ktime_get_mono_fast_ns() - t0 < (unsigned long)ms * NSEC_PER_MSEC)
		cpu_relax();
}

static ssize_t stall_write(struct file *f, const char __user *buf,
			   size_t len, loff_t *pos)
{
	struct edu *edu = f->private_data;
	unsigned int cpu, ms, n = 0, i;
	char tmp[32];
	u64 end;

	if (len >= sizeof(tmp) || copy_from_user(tmp, buf, len))
		return -EINVAL;
	tmp[len] = 0;
	if (sscanf(tmp, "%u %u %u", &cpu, &ms, &n) < 2 || ms > 5000 || n > 100 ||
	    cpu >= nr_cpu_ids || !cpu_online(cpu) || cpu == raw_smp_processor_id())
		return -EINVAL;
	atomic_set(&stall_started, 0);
	WRITE_ONCE(stall_margin_ms, -1);
	/* Not waited for: the stall must still be on when this returns. */
	smp_call_function_single(cpu, stall_fn, (void *)(unsigned long)ms, 0);
	/* The host may be slow to run that vCPU: wait until it stalls. */
	for (i = 0; i < 1000 && !atomic_read_acquire(&stall_started); i++)
		usleep_range(100, 200);
	if (!atomic_read_acquire(&stall_started))
		return -ETIMEDOUT;
	if (!n)
		return len;
	/*
	 * Raised from here rather than by a later write, so that little of
	 * the stall is gone first; how much is recorded all the same, since
	 * the host may not run this vCPU for a while either.
	 */
	end = READ_ONCE(stall_t0_ns) + (u64)ms * NSEC_PER_MSEC;
	WRITE_ONCE(stall_margin_ms,
		   div_s64((s64)(end - ktime_get_mono_fast_ns()), NSEC_PER_MSEC));
	for (i = 0; i < n; i++)
		edu_fire_one(edu);
	return len;
}

/*
 * Config writes that do not land.  On x86, port I/O config access is a
 * pair of accesses (address to 0xCF8, data at 0xCFC) that the PCI code
 * makes under pci_config_lock; anything that writes 0xCF8 without that
 * lock between the two sends the data to another register.  Every write
 * here is read back.  A different value is read again: the value
 * written means the read was the one sent elsewhere, anything else
 * means the write was lost.
 */
static unsigned long scratch_writes, scratch_lost, scratch_misread;

static ssize_t scratch_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct edu *edu = ((struct seq_file *)f->private_data)->private;
	unsigned long end, n = 0, lost = 0, misread = 0;
	unsigned int ms;
	u8 old, v, back;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &ms);
	if (ret || ms > 60000)
		return ret ?: -EINVAL;
	pci_read_config_byte(edu->pdev, PCI_INTERRUPT_LINE, &old);
	end = jiffies + msecs_to_jiffies(ms);
	while (time_before(jiffies, end)) {
		v = n & 0xff;
		pci_write_config_byte(edu->pdev, PCI_INTERRUPT_LINE, v);
		pci_read_config_byte(edu->pdev, PCI_INTERRUPT_LINE, &back);
		if (back != v) {
			pci_read_config_byte(edu->pdev, PCI_INTERRUPT_LINE, &back);
			if (back == v)
				misread++;
			else
				lost++;
		}
		n++;
		cond_resched();
	}
	pci_write_config_byte(edu->pdev, PCI_INTERRUPT_LINE, old);
	WRITE_ONCE(scratch_writes, n);
	WRITE_ONCE(scratch_lost, lost);
	WRITE_ONCE(scratch_misread, misread);
	return len;
}

static int scratch_show(struct seq_file *sf, void *unused)
{
	seq_printf(sf, "writes %lu lost %lu misread %lu\n",
		   READ_ONCE(scratch_writes), READ_ONCE(scratch_lost),
		   READ_ONCE(scratch_misread));
	return 0;
}

/*
 * A file read through NAME_show() and written through NAME_write(): one
 * seq_file for reads and writes alike, whatever the open mode, so the
 * writer finds the edu in the seq_file's private.
 */
#define EDU_RW_FOPS(name)						\
static int name##_open(struct inode *inode, struct file *f)		\
{									\
	return single_open(f, name##_show, inode->i_private);		\
}									\
static const struct file_operations name##_fops = {			\
	.open = name##_open,						\
	.read = seq_read,						\
	.write = name##_write,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

EDU_RW_FOPS(scratch);

/*
 * What one config access costs here, on the same path the moves take
 * (with this driver's counting probes): the fixed part of a move, the
 * vector domain's, is what remains of its time after the accesses.
 */
static u64 cost_read_ns, cost_write_ns;

static ssize_t cfgcost_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct edu *edu = ((struct seq_file *)f->private_data)->private;
	unsigned int n, i;
	u64 t0, t1, t2;
	unsigned long flags;
	u16 data;
	u8 old;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &n);
	if (ret || !n || n > 10000)
		return ret ?: -EINVAL;
	pci_read_config_byte(edu->pdev, PCI_INTERRUPT_LINE, &old);
	/* Interrupts off, as in the ack path and fixup_irqs(). */
	local_irq_save(flags);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		pci_read_config_word(edu->pdev, edu->pdev->msi_cap + PCI_MSI_DATA_64,
				     &data);
	t1 = ktime_get_ns();
	for (i = 0; i < n; i++)
		pci_write_config_byte(edu->pdev, PCI_INTERRUPT_LINE, old);
	t2 = ktime_get_ns();
	local_irq_restore(flags);
	WRITE_ONCE(cost_read_ns, div_u64(t1 - t0, n));
	WRITE_ONCE(cost_write_ns, div_u64(t2 - t1, n));
	return len;
}

static int cfgcost_show(struct seq_file *sf, void *unused)
{
	seq_printf(sf, "read_ns %llu write_ns %llu\n", READ_ONCE(cost_read_ns),
		   READ_ONCE(cost_write_ns));
	return 0;
}

EDU_RW_FOPS(cfgcost);

static void mmio_hit(struct perf_event *bp, struct perf_sample_data *data,
		     struct pt_regs *regs)
{
	atomic_long_inc(&mmio_hits);
}

static void mmio_disarm(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mmio_bp); i++) {
		if (mmio_bp[i])
			unregister_wide_hw_breakpoint(mmio_bp[i]);
		mmio_bp[i] = NULL;
	}
	mmio_type = "off";
}

/* Watch IRQ's MSI-X table entry for writes (@rw false) or any access. */
static int mmio_arm(unsigned int irq, bool rw)
{
	struct perf_event * __percpu *bp;
	struct perf_event_attr attr;
	struct msi_desc *desc;
	void __iomem *entry;
	int i;

	desc = irq_get_msi_desc(irq);
	if (!desc || !dev_is_pci(desc->dev) || !desc->pci.msi_attrib.is_msix ||
	    desc->pci.msi_attrib.is_virtual || !desc->pci.mask_base)
		return -EINVAL;
	entry = desc->pci.mask_base + desc->msi_index * PCI_MSIX_ENTRY_SIZE;
	mmio_base = atomic_long_read(&mmio_hits);
	for (i = 0; i < ARRAY_SIZE(mmio_bp); i++) {
		hw_breakpoint_init(&attr);
		attr.bp_addr = (unsigned long)entry + i * HW_BREAKPOINT_LEN_8;
		attr.bp_len = HW_BREAKPOINT_LEN_8;
		attr.bp_type = rw ? HW_BREAKPOINT_RW : HW_BREAKPOINT_W;
		bp = register_wide_hw_breakpoint(&attr, mmio_hit, NULL);
		if (!bp || MSIA_IS_ERR_PCPU(bp)) {
			mmio_disarm();
			return bp ? MSIA_PTR_ERR_PCPU(bp) : -EOPNOTSUPP;
		}
		mmio_bp[i] = bp;
	}
	mmio_irq = irq;
	mmio_type = rw ? "rw" : "w";
	return 0;
}

static ssize_t mmio_write(struct file *f, const char __user *buf,
			  size_t len, loff_t *pos)
{
	char kbuf[32], type[4] = "";
	unsigned int irq;
	int ret, n;

	if (len >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, buf, len))
		return -EFAULT;
	kbuf[len] = '\0';
	n = sscanf(kbuf, "%u %3s", &irq, type);
	if (n < 1 || (irq && (n != 2 || (strcmp(type, "w") && strcmp(type, "rw")))))
		return -EINVAL;
	mutex_lock(&mmio_lock);
	mmio_disarm();
	ret = irq ? mmio_arm(irq, !strcmp(type, "rw")) : 0;
	mutex_unlock(&mmio_lock);
	return ret ?: len;
}

static int mmio_show(struct seq_file *sf, void *unused)
{
	mutex_lock(&mmio_lock);
	seq_printf(sf, "irq %u type %s hits %ld\n", mmio_irq, mmio_type,
		   atomic_long_read(&mmio_hits) - mmio_base);
	mutex_unlock(&mmio_lock);
	return 0;
}

EDU_RW_FOPS(mmio);

static const struct file_operations stall_fops = {
	.open = simple_open,
	.write = stall_write,
};

static ssize_t watch_write(struct file *f, const char __user *buf,
			   size_t len, loff_t *pos)
{
	struct edu *edu = f->private_data;
	struct msi_desc *desc;
	unsigned int irq;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &irq);
	if (ret)
		return ret;
	desc = irq_get_msi_desc(irq);
	if (!desc || !dev_is_pci(desc->dev))
		return -EINVAL;
	WRITE_ONCE(edu->watch_irq, 0);
	bench_reset(edu);
	WRITE_ONCE(edu->watch_dev, msi_desc_to_pci_dev(desc));
	WRITE_ONCE(edu->watch_irq, irq);
	return len;
}

/* The MSI message in the device's own registers (64-bit MSI). */
static void edu_read_msg(struct edu *edu, u32 *lo, u32 *hi, u16 *data)
{
	int cap = edu->pdev->msi_cap;

	pci_read_config_dword(edu->pdev, cap + PCI_MSI_ADDRESS_LO, lo);
	pci_read_config_dword(edu->pdev, cap + PCI_MSI_ADDRESS_HI, hi);
	pci_read_config_word(edu->pdev, cap + PCI_MSI_DATA_64, data);
}

static ssize_t restore_write(struct file *f, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct edu *edu = f->private_data;
	int cap = edu->pdev->msi_cap;

	edu_read_msg(edu, &edu->saved_lo, &edu->saved_hi, &edu->saved_data);
	pci_save_state(edu->pdev);
	/* What a function reset leaves: no message at all. */
	pci_write_config_dword(edu->pdev, cap + PCI_MSI_ADDRESS_LO, 0);
	pci_write_config_dword(edu->pdev, cap + PCI_MSI_ADDRESS_HI, 0);
	pci_write_config_word(edu->pdev, cap + PCI_MSI_DATA_64, 0);
	pci_restore_state(edu->pdev);
	edu_read_msg(edu, &edu->restored_lo, &edu->restored_hi,
		     &edu->restored_data);
	return len;
}

static int restored_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;

	seq_printf(sf, "before %08x %08x %04x\nafter %08x %08x %04x\n",
		   edu->saved_hi, edu->saved_lo, edu->saved_data,
		   edu->restored_hi, edu->restored_lo, edu->restored_data);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(restored);

static const struct file_operations restore_fops = {
	.open = simple_open,
	.write = restore_write,
};

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int bench_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;
	struct bench *b = &edu->bench;
	unsigned long flags;
	unsigned int n;
	u64 r, w, m;
	u32 *copy;
	int k;

	copy = kvmalloc_array(BENCH_MAX, sizeof(u32), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	for (k = 0; k < NR_KINDS; k++) {
		raw_spin_lock_irqsave(&b->lock, flags);
		n = b->n[k];
		r = b->reads[k];
		w = b->writes[k];
		m = b->mmio[k];
		if (n)
			memcpy(copy, b->ns[k], n * sizeof(u32));
		raw_spin_unlock_irqrestore(&b->lock, flags);
		if (!n)
			continue;
		sort(copy, n, sizeof(u32), cmp_u32, NULL);
		seq_printf(sf, "move %s n %u reads %llu writes %llu mmio %llu p50_ns %u p99_ns %u\n",
			   kind_names[k], n, r, w, m, copy[n / 2],
			   copy[min(n - 1, n * 99 / 100)]);
	}
	kvfree(copy);
	seq_printf(sf, "offline ns %llu vectors %u\n", b->offline_ns,
		   b->offline_vectors);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bench);

static const struct file_operations migrate_fops = {
	.open = simple_open,
	.write = migrate_write,
};

static const struct file_operations spread_fops = {
	.open = simple_open,
	.write = spread_write,
};

static const struct file_operations offline_fops = {
	.open = simple_open,
	.write = offline_write,
};

static const struct file_operations watch_fops = {
	.open = simple_open,
	.write = watch_write,
};

static ssize_t fire_write(struct file *f, const char __user *buf, size_t len,
			  loff_t *pos)
{
	struct edu *edu = f->private_data;
	unsigned int n, i;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		edu_fire_one(edu);
	return len;
}

static ssize_t inject_write(struct file *f, const char __user *buf,
			    size_t len, loff_t *pos)
{
	struct edu *edu = f->private_data;
	unsigned int k;
	int ret;

	ret = kstrtouint_from_user(buf, len, 0, &k);
	if (ret)
		return ret;
	atomic_set(&edu->armed_writes, 0);
	atomic_set(&edu->armed_k, k);
	return len;
}

static ssize_t reset_write(struct file *f, const char __user *buf,
			   size_t len, loff_t *pos)
{
	struct edu *edu = f->private_data;

	atomic_set(&edu->raised, 0);
	atomic_set(&edu->handled, 0);
	atomic_set(&edu->lost, 0);
	atomic_set(&edu->injected, 0);
	atomic_set(&edu->cfg_reads, 0);
	atomic_set(&edu->cfg_writes, 0);
	atomic_set(&edu->msi_writes, 0);
	atomic_set(&edu->msi_writes_not_d0, 0);
	atomic_set(&edu->moves_not_d0, 0);
	atomic_set(&edu->lost_hooked, 0);
	atomic_set(&edu->late, 0);
	atomic_set(&edu->lost_stock, 0);
	mutex_lock(&edu->fire_lock);
	edu->nr_losses = 0;
	mutex_unlock(&edu->fire_lock);
	return len;
}

static const struct file_operations fire_fops = {
	.open = simple_open,
	.write = fire_write,
};

static const struct file_operations inject_fops = {
	.open = simple_open,
	.write = inject_write,
};

static const struct file_operations reset_fops = {
	.open = simple_open,
	.write = reset_write,
};

static int stats_show(struct seq_file *sf, void *unused)
{
	struct edu *edu = sf->private;
	u16 status, flags = 0;

	/* INTx would be the device's fallback if MSI were ever disabled. */
	pci_read_config_word(edu->pdev, PCI_STATUS, &status);
	if (edu->pdev->msi_cap)
		pci_read_config_word(edu->pdev,
				     edu->pdev->msi_cap + PCI_MSI_FLAGS, &flags);
	seq_printf(sf, "raised %d\nhandled %d\nlost %d\ninjected %d\narmed %d\n",
		   atomic_read(&edu->raised), atomic_read(&edu->handled),
		   atomic_read(&edu->lost), atomic_read(&edu->injected),
		   atomic_read(&edu->armed_k));
	seq_printf(sf, "hooked %d\n", edu_hooked(edu, edu->irq));
	seq_printf(sf, "stall_margin_ms %lld\n", READ_ONCE(stall_margin_ms));
	seq_printf(sf, "late %d\nlost_hooked %d\nlost_stock %d\nmsi_writes_not_d0 %d\nmoves_not_d0 %d\n",
		   atomic_read(&edu->late),
		   atomic_read(&edu->lost_hooked), atomic_read(&edu->lost_stock),
		   atomic_read(&edu->msi_writes_not_d0),
		   atomic_read(&edu->moves_not_d0));
	seq_printf(sf, "intx %d\nmsi_enabled %d\ncfg_reads %d\ncfg_writes %d\nmsi_writes %d\n",
		   !!(status & PCI_STATUS_INTERRUPT),
		   !!(flags & PCI_MSI_FLAGS_ENABLE),
		   atomic_read(&edu->cfg_reads), atomic_read(&edu->cfg_writes),
		   atomic_read(&edu->msi_writes));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int edu_debugfs_init(struct edu *edu)
{
	struct bench *b = &edu->bench;
	int k;

	raw_spin_lock_init(&b->lock);
	for (k = 0; k < NR_KINDS; k++) {
		b->ns[k] = kvmalloc_array(BENCH_MAX, sizeof(u32), GFP_KERNEL);
		if (!b->ns[k])
			return -ENOMEM;
	}
	edu->watch_dev = edu->pdev;
	edu->watch_irq = edu->irq;

	edu->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_u32("irq", 0444, edu->dir, (u32 *)&edu->irq);
	debugfs_create_file("fire", 0200, edu->dir, edu, &fire_fops);
	debugfs_create_file("inject", 0200, edu->dir, edu, &inject_fops);
	debugfs_create_file("reset", 0200, edu->dir, edu, &reset_fops);
	debugfs_create_file("stats", 0444, edu->dir, edu, &stats_fops);
	debugfs_create_file("watch", 0200, edu->dir, edu, &watch_fops);
	debugfs_create_file("migrate", 0200, edu->dir, edu, &migrate_fops);
	debugfs_create_file("spread", 0200, edu->dir, edu, &spread_fops);
	debugfs_create_file("offline", 0200, edu->dir, edu, &offline_fops);
	debugfs_create_file("bench", 0444, edu->dir, edu, &bench_fops);
	debugfs_create_file("restore", 0200, edu->dir, edu, &restore_fops);
	debugfs_create_file("restored", 0444, edu->dir, edu, &restored_fops);
	debugfs_create_file("losses", 0444, edu->dir, edu, &losses_fops);
	debugfs_create_file("stall", 0200, edu->dir, edu, &stall_fops);
	debugfs_create_file("scratch", 0600, edu->dir, edu, &scratch_fops);
	debugfs_create_file("cfgcost", 0600, edu->dir, edu, &cfgcost_fops);
	debugfs_create_file("mmio", 0600, edu->dir, edu, &mmio_fops);
	return 0;
}

static void edu_free_bench(struct edu *edu)
{
	int k;

	for (k = 0; k < NR_KINDS; k++)
		kvfree(edu->bench.ns[k]);
}

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	int ret;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	init_waitqueue_head(&edu->wq);
	mutex_init(&edu->fire_lock);
	mutex_init(&edu->raise_lock);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	/* An MSI is a memory write by the device: it needs bus mastering. */
	pci_set_master(pdev);
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	edu->bar = pcim_iomap_table(pdev)[0];
	writel(0x12345678, edu->bar + EDU_REG_LIVENESS);
	if (readl(edu->bar + EDU_REG_LIVENESS) != ~0x12345678u) {
		dev_err(&pdev->dev, "liveness check failed\n");
		return -ENODEV;
	}

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);
	if (ret < 0)
		return ret;
	edu->irq = pci_irq_vector(pdev, 0);
	ret = request_irq(edu->irq, edu_irq, 0, KBUILD_MODNAME, edu);
	if (ret)
		goto free_vectors;
	pci_set_drvdata(pdev, edu);

	mutex_lock(&edu_list_lock);
	list_add_tail(&edu->node, &edu_list);
	if (!the_edu) {
		ret = edu_debugfs_init(edu);
		if (ret) {
			list_del(&edu->node);
			mutex_unlock(&edu_list_lock);
			edu_free_bench(edu);
			free_irq(edu->irq, edu);
			goto free_vectors;
		}
		WRITE_ONCE(the_edu, edu);
		dev_info(&pdev->dev, "irq %d\n", edu->irq);
	}
	mutex_unlock(&edu_list_lock);
	return 0;

free_vectors:
	pci_free_irq_vectors(pdev);
	return ret;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	mutex_lock(&edu_list_lock);
	list_del(&edu->node);
	if (edu == the_edu) {
		WRITE_ONCE(the_edu, NULL);
		debugfs_remove_recursive(edu->dir);
	}
	mutex_unlock(&edu_list_lock);
	free_irq(edu->irq, edu);
	pci_free_irq_vectors(pdev);
	/* The probes look at the_edu only; none can be using this one now. */
	synchronize_rcu();
	edu_free_bench(edu);
}

static const struct pci_device_id edu_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};
MODULE_DEVICE_TABLE(pci, edu_ids);

static struct pci_driver edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = edu_ids,
	.probe = edu_probe,
	.remove = edu_remove,
};

static int __init edu_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cfg_probes); i++)
		cfg_probe_ptrs[i] = &cfg_probes[i];
	ret = register_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
	if (ret)
		return ret;
	ret = register_kretprobe(&move_probe);
	if (ret)
		goto cfg;
	ret = pci_register_driver(&edu_driver);
	if (!ret)
		return 0;
	unregister_kretprobe(&move_probe);
cfg:
	unregister_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
	return ret;
}

static void __exit edu_exit(void)
{
	mutex_lock(&mmio_lock);
	mmio_disarm();
	mutex_unlock(&mmio_lock);
	pci_unregister_driver(&edu_driver);
	unregister_kretprobe(&move_probe);
	unregister_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
}

module_init(edu_init);
module_exit(edu_exit);
MODULE_DESCRIPTION("msi_affinity test driver for QEMU's edu device");
MODULE_LICENSE("GPL");
