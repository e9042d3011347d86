// SPDX-License-Identifier: GPL-2.0
/*
 * msia_edu's view of the MSI message in edu's own registers: reading it
 * (for the losses and the move history too), and the restore test,
 * which saves the device state, clears the message as a function reset
 * would and restores it as resume does (the restore and restored files).
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include "edu.h"

/**
 * edu_read_msg() - the MSI message in the device's own registers
 * @edu: the device (64-bit MSI)
 * @lo: the address, low 32 bits
 * @hi: the address, high 32 bits
 * @data: the data
 */
void edu_read_msg(struct edu *edu, u32 *lo, u32 *hi, u16 *data)
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

/**
 * edu_restore_debugfs() - create the restore and restored files
 * @edu: the device, whose directory is made
 */
void edu_restore_debugfs(struct edu *edu)
{
	debugfs_create_file("restore", 0200, edu->dir, edu, &restore_fops);
	debugfs_create_file("restored", 0444, edu->dir, edu, &restored_fops);
}
