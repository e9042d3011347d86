// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/msi_affinity/: what the module manages and why it
 * left the rest alone, its mode, and the health of its probes.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <msi_affinity/module.h>

static struct dentry *msia_debugfs;

static int managed_show(struct seq_file *sf, void *unused)
{
	msia_managed_show(sf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(managed);

static int skipped_show(struct seq_file *sf, void *unused)
{
	msia_skipped_show(sf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(skipped);

static int mode_show(struct seq_file *sf, void *unused)
{
	seq_printf(sf, "%s\n", msia_mode_name());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mode);

static int probes_show(struct seq_file *sf, void *unused)
{
	msia_probes_show(sf);
	msia_hook_stats_show(sf);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(probes);

/**
 * msia_debugfs_init() - create the files
 */
void msia_debugfs_init(void)
{
	msia_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("mode", 0444, msia_debugfs, NULL, &mode_fops);
	debugfs_create_file("managed", 0444, msia_debugfs, NULL,
			    &managed_fops);
	debugfs_create_file("skipped", 0444, msia_debugfs, NULL,
			    &skipped_fops);
	debugfs_create_file("probes", 0444, msia_debugfs, NULL, &probes_fops);
}

/**
 * msia_debugfs_exit() - remove them; returns once no reader is inside
 */
void msia_debugfs_exit(void)
{
	debugfs_remove_recursive(msia_debugfs);
}
