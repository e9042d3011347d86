// SPDX-License-Identifier: GPL-2.0
/*
 * msia_dynx: a test driver that adds and removes MSI-X vectors while
 * MSI-X stays enabled (dynamic MSI-X, pci_msix_alloc_irq_at(), Linux
 * 6.2 and later), so the selftests can check that msi_affinity follows
 * vectors that come and go after the device was set up, as vfio-pci
 * and some network drivers make them.
 *
 * It binds QEMU's e1000e (8086:10d3), whose five MSI-X vectors can each
 * be raised by one register write, with no network behind the NIC: the
 * interrupt cause set register (ICS) sets a cause, and IVAR routes each
 * of the five MSI-X causes (RX queue 0 and 1, TX queue 0 and 1, other)
 * to one vector.  Vector 0 comes from pci_alloc_irq_vectors() at probe;
 * the others only through the "alloc" file.
 *
 * debugfs /sys/kernel/debug/msia_dynx/:
 *   alloc    write INDEX: allocate MSI-X entry INDEX (1-4) now, request it
 *   free     write INDEX: free its interrupt and the entry
 *   fire     write "INDEX N": raise vector INDEX N (at most 1000) times,
 *            one at a time, waiting for each (200 ms, then 2 s more, when
 *            it counts late)
 *   hold     write "INDEX 1": mask the vector's cause in the device, so
 *            a raise is held back and the waiter must call it lost;
 *            "INDEX 0" unmasks it and the held message goes out
 *   vectors  one line per live vector: index irq raised handled lost late
 *            spurious (a message that found its cause clear, and was not
 *            an echo), whose irq_set_affinity the interrupt's chip has,
 *            and echoes (see DYNX_SETTLE_US)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/wait.h>

#define DYNX_NR_VEC	5	/* e1000e's MSI-X table size */

/* e1000e registers in BAR 0, as QEMU 7.2 models them. */
#define REG_STATUS	0x00008
#define REG_CTRL_EXT	0x00018
#define REG_ICR		0x000c0	/* write 1 to clear */
#define REG_ICS		0x000c8
#define REG_IMS		0x000d0
#define REG_IMC		0x000d8
#define REG_EIAC	0x000dc
#define REG_IAM		0x000e0
#define REG_IVAR	0x000e4
#define REG_EITR(n)	(0x000e8 + 4 * (n))
#define REG_PBACLR	0x05b68

#define CTRL_EXT_EIAME		BIT(24)
#define CTRL_EXT_IAME		BIT(27)
#define CTRL_EXT_TIMERS_CLR	BIT(29)
#define CTRL_EXT_PBA_CLR	BIT(31)
/* The five causes IVAR can route: RX queue 0 and 1, TX queue 0 and 1, other. */
#define CAUSE(k)		BIT(20 + (k))
#define CAUSES_ALL		GENMASK(24, 20)
/* Cause k to vector k: four bits per cause, bit 3 valid. */
#define IVAR_IDENTITY		0x000cba98

#define DYNX_WAIT_MS	200
#define DYNX_LATE_MS	2000
#define DYNX_FIRE_MAX	1000
/*
 * QEMU throttles each vector for at least 128 us (EITR has a floor of
 * 500 x 256 ns): a raise within that of the last message is postponed,
 * and 7.2 then doubles every later message of that vector.  A pause
 * well beyond it keeps every raise out of the window.  QEMU 8.0 and
 * later also send the vector once more whenever that timer expires,
 * whatever the causes hold: every message sent at once has an echo
 * 128 us later, which finds its cause already clear (dynx_irq()).
 */
#define DYNX_SETTLE_US	1000

struct dynx_vec {
	struct dynx *dx;
	unsigned int index;
	int irq;		/* 0: not allocated */
	bool dynamic;		/* from pci_msix_alloc_irq_at() */
	atomic_t handled;	/* messages that found their cause set */
	atomic_t spurious;	/* messages that found it clear, unowed */
	atomic_t echo_owed;	/* 1 from a handled message to its echo */
	atomic_t echoes;	/* clear-cause messages owed as echoes */
	unsigned int raised, lost, late;
	char name[24];
};

struct dynx {
	struct pci_dev *pdev;
	void __iomem *bar;
	/*
	 * Serialises every change of @vec and every raise: a raise and its
	 * wait must not overlap another, and free must not run under a
	 * waiter.  The interrupt handler takes no lock.
	 */
	struct mutex lock;
	wait_queue_head_t wq;
	struct dynx_vec vec[DYNX_NR_VEC];
	struct dentry *dir;
};

static void dynx_wr(struct dynx *dx, u32 reg, u32 val)
{
	writel(val, dx->bar + reg);
}

/*
 * The cause stays set until the handler clears it, so a message counts
 * only if it finds its own cause: a duplicate or a stale message cannot
 * stand in for a raise that was lost.  One message with the cause clear
 * is excused after each handled one, before the next raise: the timer
 * echo of QEMU 8.0 and later.  A second one is spurious.  ICS reads back the causes with
 * no side effect; reading ICR would clear them all.
 */
static irqreturn_t dynx_irq(int irq, void *data)
{
	struct dynx_vec *v = data;

	if (readl(v->dx->bar + REG_ICS) & CAUSE(v->index)) {
		dynx_wr(v->dx, REG_ICR, CAUSE(v->index));
		atomic_set(&v->echo_owed, 1);
		atomic_inc(&v->handled);
	} else if (atomic_xchg(&v->echo_owed, 0)) {
		atomic_inc(&v->echoes);
	} else {
		atomic_inc(&v->spurious);
	}
	wake_up(&v->dx->wq);
	return IRQ_HANDLED;
}

/* A read of the same function lands after every earlier posted write. */
static void dynx_flush(struct dynx *dx)
{
	readl(dx->bar + REG_STATUS);
}

/*
 * Every register is written, because QEMU 7.2's software reset leaves
 * them as the last driver set them.  No auto-clear (EIAC 0) and IAME,
 * which keeps IMS as it is: a cause stays set from the ICS write that
 * raises it to the handler that clears it, and the device sends a
 * message only for a cause that is newly set, once.
 */
static void dynx_hw_init(struct dynx *dx)
{
	u32 ext = readl(dx->bar + REG_CTRL_EXT);
	int n;

	dynx_wr(dx, REG_IMC, ~0u);
	dynx_wr(dx, REG_ICR, ~0u);	/* the link-up cause QEMU set at boot */
	ext &= ~(CTRL_EXT_PBA_CLR | CTRL_EXT_TIMERS_CLR | CTRL_EXT_EIAME);
	dynx_wr(dx, REG_CTRL_EXT, ext | CTRL_EXT_IAME);
	dynx_wr(dx, REG_IAM, 0);
	for (n = 0; n < DYNX_NR_VEC; n++)
		dynx_wr(dx, REG_EITR(n), 0);	/* QEMU's floor, 128 us */
	dynx_wr(dx, REG_IVAR, IVAR_IDENTITY);
	dynx_wr(dx, REG_EIAC, 0);
	dynx_wr(dx, REG_PBACLR, GENMASK(DYNX_NR_VEC - 1, 0));
	dynx_flush(dx);
}

/* Let the device raise vector @v: its cause unmasked, nothing pending. */
static void dynx_enable_cause(struct dynx_vec *v)
{
	dynx_wr(v->dx, REG_ICR, CAUSE(v->index));
	dynx_wr(v->dx, REG_IMS, CAUSE(v->index));
	dynx_flush(v->dx);
}

static void dynx_disable_cause(struct dynx_vec *v)
{
	dynx_wr(v->dx, REG_IMC, CAUSE(v->index));
	dynx_wr(v->dx, REG_ICR, CAUSE(v->index));
	dynx_flush(v->dx);
}

static int dynx_request(struct dynx_vec *v, int irq, bool dynamic)
{
	int ret;

	/* Nothing left from an earlier user of this entry may arrive. */
	dynx_wr(v->dx, REG_ICR, CAUSE(v->index));
	dynx_wr(v->dx, REG_PBACLR, BIT(v->index));
	atomic_set(&v->handled, 0);
	atomic_set(&v->spurious, 0);
	atomic_set(&v->echo_owed, 0);
	atomic_set(&v->echoes, 0);
	v->raised = 0;
	v->lost = 0;
	v->late = 0;
	snprintf(v->name, sizeof(v->name), "msia_dynx-%u", v->index);
	ret = request_irq(irq, dynx_irq, 0, v->name, v);
	if (ret)
		return ret;
	v->irq = irq;
	v->dynamic = dynamic;
	dynx_enable_cause(v);
	return 0;
}

/* Context: dx->lock held. */
static int dynx_alloc(struct dynx *dx, unsigned int index)
{
	struct dynx_vec *v = &dx->vec[index];
	struct msi_map map;
	int ret;

	if (v->irq)
		return -EBUSY;
	/* On failure the map's index holds the error. */
	map = pci_msix_alloc_irq_at(dx->pdev, index, NULL);
	if (map.index < 0) {
		pr_err("cannot allocate MSI-X entry %u: %d\n", index, map.index);
		/* -ENOTSUPP is kernel-internal; user space knows EOPNOTSUPP. */
		return map.index == -ENOTSUPP ? -EOPNOTSUPP : map.index;
	}
	ret = dynx_request(v, map.virq, true);
	if (ret)
		pci_msix_free_irq(dx->pdev, map);
	return ret;
}

/* Context: dx->lock held. */
static void dynx_release(struct dynx_vec *v)
{
	struct msi_map map = { .index = v->index, .virq = v->irq };

	dynx_disable_cause(v);
	free_irq(v->irq, v);
	if (v->dynamic)
		pci_msix_free_irq(v->dx->pdev, map);
	v->irq = 0;
}

/* Raise @v once and wait for its handler.  Context: dx->lock held. */
static void dynx_fire_one(struct dynx_vec *v)
{
	int seen = atomic_read(&v->handled);
	long left;

	v->raised++;
	/* An echo is owed only within its own raise's settle time. */
	atomic_set(&v->echo_owed, 0);
	dynx_wr(v->dx, REG_ICR, CAUSE(v->index));
	dynx_wr(v->dx, REG_ICS, CAUSE(v->index));
	dynx_flush(v->dx);
	left = wait_event_timeout(v->dx->wq, atomic_read(&v->handled) != seen,
				  msecs_to_jiffies(DYNX_WAIT_MS));
	/* A vCPU the host does not run delivers late, not never. */
	if (!left) {
		left = wait_event_timeout(v->dx->wq,
					  atomic_read(&v->handled) != seen,
					  msecs_to_jiffies(DYNX_LATE_MS));
		if (left)
			v->late++;
	}
	if (!left)
		v->lost++;
	usleep_range(DYNX_SETTLE_US, 2 * DYNX_SETTLE_US);
}

/* Parse "A" or "A B" from user space into @a and @b. */
static int dynx_parse(const char __user *buf, size_t len, unsigned int *a,
		      unsigned int *b)
{
	char tmp[32];
	int n;

	if (!len || len >= sizeof(tmp) || copy_from_user(tmp, buf, len))
		return -EINVAL;
	tmp[len] = 0;
	n = sscanf(tmp, "%u %u", a, b);
	if (n < 1 || *a >= DYNX_NR_VEC)
		return -EINVAL;
	return n;
}

/* "alloc" and "free": one entry, one change of it under the lock. */
static ssize_t change_write(struct file *f, const char __user *buf,
			    size_t len, bool alloc)
{
	struct dynx *dx = f->private_data;
	unsigned int index, unused;
	struct dynx_vec *v;
	int ret;

	ret = dynx_parse(buf, len, &index, &unused);
	if (ret < 0)
		return ret;
	mutex_lock(&dx->lock);
	v = &dx->vec[index];
	if (alloc) {
		/* Entry 0 is the one probe allocated. */
		ret = index ? dynx_alloc(dx, index) : -EINVAL;
	} else if (v->irq && v->dynamic) {
		dynx_release(v);
		ret = 0;
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&dx->lock);
	return ret ? ret : len;
}

static ssize_t alloc_write(struct file *f, const char __user *buf,
			   size_t len, loff_t *pos)
{
	return change_write(f, buf, len, true);
}

static ssize_t free_write(struct file *f, const char __user *buf,
			  size_t len, loff_t *pos)
{
	return change_write(f, buf, len, false);
}

static ssize_t fire_write(struct file *f, const char __user *buf,
			  size_t len, loff_t *pos)
{
	struct dynx *dx = f->private_data;
	unsigned int index, n = 1, i;
	int ret;

	ret = dynx_parse(buf, len, &index, &n);
	if (ret < 0)
		return ret;
	if (n > DYNX_FIRE_MAX)
		return -EINVAL;
	mutex_lock(&dx->lock);
	if (!dx->vec[index].irq) {
		mutex_unlock(&dx->lock);
		return -EINVAL;
	}
	for (i = 0; i < n && !signal_pending(current); i++)
		dynx_fire_one(&dx->vec[index]);
	mutex_unlock(&dx->lock);
	return len;
}

static ssize_t hold_write(struct file *f, const char __user *buf,
			  size_t len, loff_t *pos)
{
	struct dynx *dx = f->private_data;
	unsigned int index, on = 1;
	struct dynx_vec *v;
	int ret;

	ret = dynx_parse(buf, len, &index, &on);
	if (ret < 0)
		return ret;
	mutex_lock(&dx->lock);
	v = &dx->vec[index];
	if (!v->irq) {
		ret = -EINVAL;
	} else if (on) {
		dynx_wr(dx, REG_IMC, CAUSE(index));
		dynx_flush(dx);
	} else {
		/* A cause set while masked is new to the device: it sends now. */
		dynx_wr(dx, REG_IMS, CAUSE(index));
		dynx_flush(dx);
	}
	mutex_unlock(&dx->lock);
	return ret < 0 ? ret : len;
}

static int vectors_show(struct seq_file *sf, void *unused)
{
	struct dynx *dx = sf->private;
	int k;

	mutex_lock(&dx->lock);
	for (k = 0; k < DYNX_NR_VEC; k++) {
		struct dynx_vec *v = &dx->vec[k];
		struct irq_data *d;

		if (!v->irq)
			continue;
		d = irq_get_irq_data(v->irq);
		/* Racy, as a debug read: the test never unloads msi_affinity meanwhile. */
		seq_printf(sf, "%u %d %u %d %u %u %d %ps %d\n", v->index, v->irq,
			   v->raised, atomic_read(&v->handled), v->lost,
			   v->late, atomic_read(&v->spurious),
			   d && d->chip ? d->chip->irq_set_affinity : NULL,
			   atomic_read(&v->echoes));
	}
	mutex_unlock(&dx->lock);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(vectors);

#define DYNX_WO_FOPS(name)					\
static const struct file_operations name##_fops = {		\
	.owner = THIS_MODULE,					\
	.open = simple_open,					\
	.write = name##_write,					\
	.llseek = noop_llseek,					\
}

DYNX_WO_FOPS(alloc);
DYNX_WO_FOPS(free);
DYNX_WO_FOPS(fire);
DYNX_WO_FOPS(hold);

static int dynx_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct dynx *dx;
	int k, ret;

	dx = devm_kzalloc(&pdev->dev, sizeof(*dx), GFP_KERNEL);
	if (!dx)
		return -ENOMEM;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	/* MSI-X messages are the device's own memory writes. */
	pci_set_master(pdev);
	dx->bar = pcim_iomap(pdev, 0, 0);
	if (!dx->bar)
		return -ENOMEM;
	dx->pdev = pdev;
	mutex_init(&dx->lock);
	init_waitqueue_head(&dx->wq);
	for (k = 0; k < DYNX_NR_VEC; k++) {
		dx->vec[k].dx = dx;
		dx->vec[k].index = k;
	}
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	if (!pci_msix_can_alloc_dyn(pdev)) {
		dev_err(&pdev->dev, "the MSI domain cannot add MSI-X vectors\n");
		ret = -EOPNOTSUPP;
		goto free_vectors;
	}
	dynx_hw_init(dx);
	ret = dynx_request(&dx->vec[0], pci_irq_vector(pdev, 0), false);
	if (ret)
		goto free_vectors;
	pci_set_drvdata(pdev, dx);
	dx->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("alloc", 0200, dx->dir, dx, &alloc_fops);
	debugfs_create_file("free", 0200, dx->dir, dx, &free_fops);
	debugfs_create_file("fire", 0200, dx->dir, dx, &fire_fops);
	debugfs_create_file("hold", 0200, dx->dir, dx, &hold_fops);
	debugfs_create_file("vectors", 0444, dx->dir, dx, &vectors_fops);
	return 0;

free_vectors:
	pci_free_irq_vectors(pdev);
	return ret;
}

static void dynx_remove(struct pci_dev *pdev)
{
	struct dynx *dx = pci_get_drvdata(pdev);
	int k;

	debugfs_remove_recursive(dx->dir);
	mutex_lock(&dx->lock);
	for (k = DYNX_NR_VEC - 1; k >= 0; k--)
		if (dx->vec[k].irq)
			dynx_release(&dx->vec[k]);
	mutex_unlock(&dx->lock);
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id dynx_ids[] = {
	/* QEMU's e1000e: its subsystem, not a real 82574L's. */
	{ PCI_DEVICE_SUB(PCI_VENDOR_ID_INTEL, 0x10d3, PCI_VENDOR_ID_INTEL, 0) },
	{ }
};

/* No MODULE_DEVICE_TABLE: a real NIC must never load this by alias. */

static struct pci_driver dynx_driver = {
	.name = KBUILD_MODNAME,
	.id_table = dynx_ids,
	.probe = dynx_probe,
	.remove = dynx_remove,
};
module_pci_driver(dynx_driver);

MODULE_DESCRIPTION("msi_affinity test driver: MSI-X vectors added and removed at run time");
MODULE_LICENSE("GPL");
