/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of msi_affinity.ko share: the selection made by the
 * parameters (params.c), the hook and its lists (hook.c), the probes
 * that follow interrupts as they come and go (probes.c), and debugfs
 * (debugfs.c).  main.c puts them together in load and unload order.
 */
#ifndef _MSI_AFFINITY_MODULE_H
#define _MSI_AFFINITY_MODULE_H

#include <linux/irqdomain.h>
#include <linux/list.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <msi_affinity/core.h>

#define MSIA_MAX_LIST	64

/**
 * struct msia_select - what irqs= and devices= select
 * @irqs: interrupt numbers; none means every interrupt
 * @nr_irqs: entries in @irqs
 * @devs: PCI addresses; none means every device
 * @nr_devs: entries in @devs
 *
 * Devices are kept by address, not by reference: they are only
 * compared, so a device removed meanwhile is harmless, and a new one at
 * the same address is selected, as a re-probed device should be.
 * Written once at load, before any probe can read it.
 */
struct msia_select {
	unsigned int irqs[MSIA_MAX_LIST];
	unsigned int nr_irqs;
	struct {
		int domain;
		unsigned int bus, devfn;
	} devs[MSIA_MAX_LIST];
	unsigned int nr_devs;
};

/* params.c */
extern struct msia_select msia_sel;
extern enum msia_mode msia_mode;
int msia_parse_params(unsigned long *vector_irq);
bool msia_selected_irq(const struct msia_select *sel, unsigned int irq);
bool msia_selected_dev(const struct msia_select *sel, struct pci_dev *pdev);
const char *msia_mode_name(void);

/* hook.c */
int msia_identify_stock(void);
int msia_check_named(void);
void msia_hook_existing(void);
void msia_hook_new(struct irq_domain *domain, unsigned int virq,
		   unsigned int nr, struct msi_desc *desc);
void msia_unhook_range(unsigned int virq, unsigned int nr);
unsigned int msia_unhook_all(void);
unsigned int msia_scan_stacking(void);
void msia_hook_exit(void);
unsigned int msia_managed_count(void);

/*
 * What the module manages, by kind, and what it left alone: the load
 * message.  Only MSI without per-vector masking is at risk from the
 * kernel's one-step update; MSI-X and maskable MSI are managed for
 * their masked update, and remapped interrupts never use that code.
 */
struct msia_census {
	unsigned int msi;		/* MSI without masking: at risk */
	unsigned int msi_mask;
	unsigned int msix;
	unsigned int skipped;
	unsigned int remapped;		/* of the skipped */
};

void msia_take_census(struct msia_census *c);
void msia_managed_show(struct seq_file *sf);
void msia_skipped_show(struct seq_file *sf);
void msia_hook_stats_show(struct seq_file *sf);

/* probes.c */
int msia_probes_register(void);
void msia_probes_unregister_alloc(void);
void msia_probes_unregister_free(void);
void msia_probes_show(struct seq_file *sf);

/* debugfs.c */
void msia_debugfs_init(void);
void msia_debugfs_exit(void);

#endif /* _MSI_AFFINITY_MODULE_H */
