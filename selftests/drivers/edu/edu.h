/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of msia_edu.ko share: the device state (struct edu and
 * the records it keeps), the list of bound functions, and the functions
 * one concern calls in another.  edu.c is the driver and says what each
 * debugfs file does; the others each serve one group of those files:
 * probes.c (the config and move probes), losses.c (raising and waiting,
 * and why a raise was lost), bench.c (move timing), moves.c (moving
 * interrupts and CPUs), restore.c (the device's message), stall.c,
 * scratch.c and mmio.c.
 */
#ifndef _MSIA_EDU_H
#define _MSIA_EDU_H

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct irq_data;

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
	u64 msgs[NR_KINDS];	/* whole message writes, any bus */
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
	atomic_t drop_off;	/* lose the next change of this register; 0 off */
	atomic_t dropped;	/* writes lost that way */
	atomic_t drop_last;	/* the register lost last; 0 none */
	atomic_t rewrites;	/* its writes since, until the next arming */
	/*
	 * The natural file's moves, those after which edu held a stale
	 * message, and the last such message and the kernel's; written
	 * only by the natural file's writer, one at a time (nat_lock).
	 */
	struct mutex nat_lock;
	unsigned int nat_moves, nat_stale;
	u32 nat_dev_lo, nat_cache_lo;
	u16 nat_dev_data, nat_cache_data;
	atomic_t armed_writes;	/* MSI writes since the injection was armed */
	atomic_t msi_writes;	/* all writes to the MSI capability */
	atomic_t msi_writes_not_d0;	/* of the watched device, outside D0 */
	atomic_t moves_not_d0;	/* moves of the watched irq, outside D0 */
	atomic_t cfg_reads;
	atomic_t cfg_writes;
	atomic_t msg_writes;	/* __pci_write_msi_msg() for the watched irq */
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

/* edu.c: the bound functions; see there for edu_list_lock's rules. */
extern struct list_head edu_list;
extern struct mutex edu_list_lock;
/* edu.c: the first bound function, read by the probes with READ_ONCE. */
extern struct edu *the_edu;
void edu_raise(struct edu *edu, u32 bit);

/* probes.c: the move probe, whose misses the losses file shows. */
extern struct kretprobe move_probe;
int edu_probes_register(void);
void edu_probes_unregister(void);

/* losses.c */
bool edu_hooked(struct edu *edu, unsigned int irq);
bool chip_hooked(struct edu *edu, struct irq_data *d);
int edu_fire_one(struct edu *edu);
void edu_losses_debugfs(struct edu *edu);

/* bench.c: the name of each move_kind, as the bench file prints it. */
extern const char * const kind_names[NR_KINDS];
int edu_bench_init(struct edu *edu);
void edu_free_bench(struct edu *edu);
void bench_reset(struct edu *edu);
void edu_bench_debugfs(struct edu *edu);

/* moves.c */
void edu_move_to(struct edu *edu, unsigned int cpu);
unsigned int edu_next_cpu(unsigned int cpu);
void edu_moves_debugfs(struct edu *edu);

/* lost_write.c */
void edu_drop_write(struct edu *edu, struct pt_regs *regs, int off);
void edu_lost_write_debugfs(struct edu *edu);

/* restore.c */
void edu_read_msg(struct edu *edu, u32 *lo, u32 *hi, u16 *data);
void edu_restore_debugfs(struct edu *edu);

/* mmio.c: every watchpoint hit since load; see there. */
extern atomic_long_t mmio_hits;
void edu_mmio_stop(void);
void edu_mmio_debugfs(struct edu *edu);

/* stall.c: how much of the last stall was left at its first raise. */
extern s64 stall_margin_ms;
void edu_stall_debugfs(struct edu *edu);

/* scratch.c */
void edu_scratch_debugfs(struct edu *edu);

#endif /* _MSIA_EDU_H */
