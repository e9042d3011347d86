// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's cf8 race test (the scratch file): edu's Interrupt Line
 * register, a byte nothing uses under MSI, written and read back as
 * fast as possible, to catch config writes that another CPU's unlocked
 * port I/O sends elsewhere.
 */
#include <linux/compiler.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include "edu.h"

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

EDU_RW_FOPS(scratch);

/**
 * edu_scratch_debugfs() - create the scratch file
 * @edu: the device, whose directory is made
 */
void edu_scratch_debugfs(struct edu *edu)
{
	debugfs_create_file("scratch", 0600, edu->dir, edu, &scratch_fops);
}
