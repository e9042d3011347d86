// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's stall: one CPU takes no interrupt for a while, as when the
 * host does not run that vCPU, optionally with interrupts raised while
 * it lasts (the stall file; stats shows stall_margin_ms).  It shows
 * whether an interrupt left pending on a stalled CPU is delivered late
 * or lost.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include "edu.h"

/* Set by the stalled CPU once it has interrupts off, for the writer. */
static atomic_t stall_started;
static u64 stall_t0_ns;
/* How much of the last stall was left when its first raise was made. */
s64 stall_margin_ms;

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

static const struct file_operations stall_fops = {
	.open = simple_open,
	.write = stall_write,
};

/**
 * edu_stall_debugfs() - create the stall file
 * @edu: the device, whose directory is made
 */
void edu_stall_debugfs(struct edu *edu)
{
	debugfs_create_file("stall", 0200, edu->dir, edu, &stall_fops);
}
