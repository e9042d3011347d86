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
 *   stats    raised, handled, lost (timed out), injected, intx, msi_enabled,
 *            and config accesses to the device since the last "reset"
 *   reset    write anything: zero the counters
 *
 * QEMU's msi_notify() builds the message from live config space and
 * delivers it before the MMIO write that raised it returns, so a raise
 * from the config-write hook lands in exactly the state that write
 * left: the injection is deterministic.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/wait.h>

#define EDU_REG_LIVENESS	0x04
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_FIRE_BIT		0x1
#define EDU_INJECT_BIT		0x2
#define EDU_WAIT_MS		200

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
	atomic_t cfg_reads;
	atomic_t cfg_writes;
	struct dentry *dir;
};

/* One device; the kretprobes need to find it without a context pointer. */
static struct edu *the_edu;

/*
 * Every delivery counts, even one that finds the status already
 * acknowledged: what the tests measure is whether each message reached
 * the handler, and a second message for the same status is still one.
 */
static irqreturn_t edu_irq(int irq, void *data)
{
	struct edu *edu = data;
	u32 status = readl(edu->bar + EDU_REG_IRQ_STATUS);

	if (status)
		writel(status, edu->bar + EDU_REG_IRQ_ACK);
	atomic_inc(&edu->handled);
	wake_up(&edu->wq);
	return IRQ_HANDLED;
}

static void edu_raise(struct edu *edu, u32 bit)
{
	atomic_inc(&edu->raised);
	writel(bit, edu->bar + EDU_REG_IRQ_RAISE);
}

/* Raise and wait for the handler; a timeout is a lost interrupt. */
static int edu_fire_one(struct edu *edu)
{
	int want = atomic_read(&edu->handled) + 1;
	long left;

	edu_raise(edu, EDU_FIRE_BIT);
	left = wait_event_timeout(edu->wq, atomic_read(&edu->handled) >= want,
				  msecs_to_jiffies(EDU_WAIT_MS));
	if (left)
		return 0;
	atomic_inc(&edu->lost);
	/* Clear the stale status so the next raise is seen on its own. */
	writel(readl(edu->bar + EDU_REG_IRQ_STATUS),
	       edu->bar + EDU_REG_IRQ_ACK);
	return -ETIMEDOUT;
}

struct cfg_args {
	struct pci_bus *bus;
	unsigned int devfn;
	int where;
};

static bool is_edu(const struct cfg_args *a)
{
	struct edu *edu = READ_ONCE(the_edu);

	return edu && a->bus == edu->pdev->bus && a->devfn == edu->pdev->devfn;
}

static int cfg_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;

	a->bus = (struct pci_bus *)regs_get_kernel_argument(regs, 0);
	a->devfn = regs_get_kernel_argument(regs, 1);
	a->where = regs_get_kernel_argument(regs, 2);
	return is_edu(a) ? 0 : 1;	/* 1: no return probe for others */
}

static int cfg_write_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct cfg_args *a = (struct cfg_args *)ri->data;
	struct edu *edu = READ_ONCE(the_edu);
	int cap = edu->pdev->msi_cap, k;

	atomic_inc(&edu->cfg_writes);
	if (!cap || a->where < cap || a->where >= cap + PCI_MSI_MASK_64)
		return 0;
	atomic_inc(&edu->msi_writes);
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
	atomic_inc(&READ_ONCE(the_edu)->cfg_reads);
	return 0;
}

#define CFG_PROBE(sym, ret_fn) {				\
	.kp.symbol_name = sym,					\
	.entry_handler = cfg_entry,				\
	.handler = ret_fn,						\
	.data_size = sizeof(struct cfg_args),			\
	.maxactive = 16,					\
}

static struct kretprobe cfg_probes[] = {
	CFG_PROBE("pci_bus_write_config_byte", cfg_write_ret),
	CFG_PROBE("pci_bus_write_config_word", cfg_write_ret),
	CFG_PROBE("pci_bus_write_config_dword", cfg_write_ret),
	CFG_PROBE("pci_bus_read_config_byte", cfg_read_ret),
	CFG_PROBE("pci_bus_read_config_word", cfg_read_ret),
	CFG_PROBE("pci_bus_read_config_dword", cfg_read_ret),
};

static struct kretprobe *cfg_probe_ptrs[ARRAY_SIZE(cfg_probes)];

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
	seq_printf(sf, "intx %d\nmsi_enabled %d\ncfg_reads %d\ncfg_writes %d\nmsi_writes %d\n",
		   !!(status & PCI_STATUS_INTERRUPT),
		   !!(flags & PCI_MSI_FLAGS_ENABLE),
		   atomic_read(&edu->cfg_reads), atomic_read(&edu->cfg_writes),
		   atomic_read(&edu->msi_writes));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu *edu;
	int ret;

	if (the_edu)
		return -EBUSY;
	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	init_waitqueue_head(&edu->wq);

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
	if (ret) {
		pci_free_irq_vectors(pdev);
		return ret;
	}
	pci_set_drvdata(pdev, edu);

	edu->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_u32("irq", 0444, edu->dir, (u32 *)&edu->irq);
	debugfs_create_file("fire", 0200, edu->dir, edu, &fire_fops);
	debugfs_create_file("inject", 0200, edu->dir, edu, &inject_fops);
	debugfs_create_file("reset", 0200, edu->dir, edu, &reset_fops);
	debugfs_create_file("stats", 0444, edu->dir, edu, &stats_fops);
	WRITE_ONCE(the_edu, edu);
	dev_info(&pdev->dev, "irq %d\n", edu->irq);
	return 0;
}

static void edu_remove(struct pci_dev *pdev)
{
	struct edu *edu = pci_get_drvdata(pdev);

	WRITE_ONCE(the_edu, NULL);
	debugfs_remove_recursive(edu->dir);
	free_irq(edu->irq, edu);
	pci_free_irq_vectors(pdev);
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
	ret = pci_register_driver(&edu_driver);
	if (ret)
		unregister_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
	return ret;
}

static void __exit edu_exit(void)
{
	pci_unregister_driver(&edu_driver);
	unregister_kretprobes(cfg_probe_ptrs, ARRAY_SIZE(cfg_probe_ptrs));
}

module_init(edu_init);
module_exit(edu_exit);
MODULE_DESCRIPTION("msi_affinity test driver for QEMU's edu device");
MODULE_LICENSE("GPL");
