// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's moves, made for the tests to watch: edu's interrupt round
 * the online CPUs (migrate), every edu function's interrupt onto one CPU
 * (spread), a CPU taken offline and back (offline), and the choice of
 * the interrupt whose moves are recorded (watch).
 */
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/irq.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include "edu.h"

/**
 * edu_move_to() - one real move of edu's interrupt to @cpu
 * @edu: the device
 * @cpu: the new CPU
 *
 * The affinity write only marks the move pending, and the next
 * interrupt moves it in its ack.  Until the last move's old vector is
 * freed the vector domain refuses (-EBUSY) and leaves the move pending:
 * 6.1 frees it by an IPI within microseconds, 6.12 from a timer up to a
 * jiffy later.  So raise until the move is taken, then once more at the
 * new vector, which completes it.  Every migration is then one real
 * move on both kernels.
 */
void edu_move_to(struct edu *edu, unsigned int cpu)
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

/**
 * edu_next_cpu() - the online CPU after @cpu, round to the first
 * @cpu: a CPU
 *
 * Return: where migrate, and natural (lost_write.c), move edu next.
 */
unsigned int edu_next_cpu(unsigned int cpu)
{
	cpu = cpumask_next(cpu, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : cpumask_first(cpu_online_mask);
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
		cpu = edu_next_cpu(cpu);
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

/**
 * edu_moves_debugfs() - create the watch, migrate, spread and offline files
 * @edu: the device, whose directory is made
 */
void edu_moves_debugfs(struct edu *edu)
{
	debugfs_create_file("watch", 0200, edu->dir, edu, &watch_fops);
	debugfs_create_file("migrate", 0200, edu->dir, edu, &migrate_fops);
	debugfs_create_file("spread", 0200, edu->dir, edu, &spread_fops);
	debugfs_create_file("offline", 0200, edu->dir, edu, &offline_fops);
}
