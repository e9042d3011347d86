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
 *   drop     write "lo", "data" or "none": lose the next write that
 *            changes that register of edu's message; read: "armed A
 *            dropped D rewritten R" (R: writes of it since the loss)
 *   stale    "stale S device LO/DATA kernel LO/DATA": whether edu holds
 *            a message other than the one the kernel cached
 *   natural  write N: N migrate moves, each followed by a look at
 *            edu's message; a stale one is counted and written again;
 *            read: "moves M stale S last device LO/DATA kernel LO/DATA"
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
 *
 * This file is the driver: probe and remove, the interrupt handler, the
 * fire, inject, reset and stats files, and the debugfs directory, whose
 * other files each concern creates in its own file (see edu.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "edu.h"

/*
 * All bound edu functions; the first is the_edu, with the debugfs files.
 * edu_list_lock (a mutex: probe, remove and the debugfs writers, all in
 * process context) protects the list and the choice of the_edu; the
 * probes read the_edu with READ_ONCE and never take it.
 */
DEFINE_MUTEX(edu_list_lock);
LIST_HEAD(edu_list);

/* One device; the kretprobes need to find it without a context pointer. */
struct edu *the_edu;

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

/**
 * edu_raise() - raise an interrupt of edu
 * @edu: the device
 * @bit: the status bit to raise (EDU_FIRE_BIT or EDU_INJECT_BIT)
 *
 * Counts it in @edu's raised, without waiting for it.
 */
void edu_raise(struct edu *edu, u32 bit)
{
	atomic_inc(&edu->raised);
	writel(bit, edu->bar + EDU_REG_IRQ_RAISE);
}

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
	int ret;

	ret = edu_bench_init(edu);
	if (ret)
		return ret;
	edu->watch_dev = edu->pdev;
	edu->watch_irq = edu->irq;

	edu->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_u32("irq", 0444, edu->dir, (u32 *)&edu->irq);
	debugfs_create_file("fire", 0200, edu->dir, edu, &fire_fops);
	debugfs_create_file("inject", 0200, edu->dir, edu, &inject_fops);
	debugfs_create_file("reset", 0200, edu->dir, edu, &reset_fops);
	debugfs_create_file("stats", 0444, edu->dir, edu, &stats_fops);
	edu_moves_debugfs(edu);
	edu_bench_debugfs(edu);
	edu_restore_debugfs(edu);
	edu_losses_debugfs(edu);
	edu_stall_debugfs(edu);
	edu_scratch_debugfs(edu);
	edu_lost_write_debugfs(edu);
	edu_mmio_debugfs(edu);
	return 0;
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
	mutex_init(&edu->nat_lock);

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
	int ret;

	ret = edu_probes_register();
	if (ret)
		return ret;
	ret = pci_register_driver(&edu_driver);
	if (!ret)
		return 0;
	edu_probes_unregister();
	return ret;
}

static void __exit edu_exit(void)
{
	edu_mmio_stop();
	pci_unregister_driver(&edu_driver);
	edu_probes_unregister();
}

module_init(edu_init);
module_exit(edu_exit);
MODULE_DESCRIPTION("msi_affinity test driver for QEMU's edu device");
MODULE_LICENSE("GPL");
