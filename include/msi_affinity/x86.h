/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 side of msi_affinity: one managed interrupt, and the
 * platform accessors behind struct msia_hw_ops.
 */
#ifndef _MSI_AFFINITY_X86_H
#define _MSI_AFFINITY_X86_H

#include <linux/irq.h>
#include <linux/list.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <msi_affinity/core.h>

/**
 * struct msia_managed - one PCI MSI/MSI-X interrupt the module manages
 * @node: entry in the module's list of managed interrupts
 * @irq: Linux interrupt number
 * @irqd: the top (PCI-MSI domain) irq_data of @irq
 * @pdev: the device; the hook is dropped when @irq is freed, before the
 *	device can go away, so no reference is held
 * @desc: the MSI descriptor of @irq
 * @orig_chip: the kernel's chip, put back on removal
 * @chip: a copy of @orig_chip whose irq_set_affinity is the module's;
 *	@irqd->chip points here while the interrupt is managed, unless
 *	another module stacked its own copy on top
 * @stacked: such a copy is there; the module holds a reference on
 *	itself while it is, since the copy may call into the module
 * @msix_entry: this interrupt's MSI-X table entry, or NULL for MSI
 * @mi: the core's state; its @cur is kept equal to @desc->msg
 * @rcu: frees the structure, and with it @chip, once no task can still
 *	hold a pointer to @chip (see hook.c)
 *
 * Locking: @chip, @stacked, @mi and @desc->msg change only under the
 * descriptor lock of @irq.  The list @node is protected by msia_lock (hook.c),
 * which is never taken inside a descriptor lock.
 */
struct msia_managed {
	struct list_head node;
	unsigned int irq;
	struct irq_data *irqd;
	struct pci_dev *pdev;
	struct msi_desc *desc;
	struct irq_chip *orig_chip;
	struct irq_chip chip;
	bool stacked;
	void __iomem *msix_entry;
	struct msia_irq mi;
	struct rcu_head rcu;
};

extern const struct msia_hw_ops msia_x86_ops;

int msia_apic_init(unsigned long addr);
bool msia_apic_can_claim(void);
void msia_regs_init(struct msia_managed *m, unsigned int index);
void msia_regs_sync(struct msia_managed *m);
u32 msia_reg_read(void *ctx, enum msia_space space, unsigned int off,
		  unsigned int size);
void msia_reg_write(void *ctx, enum msia_space space, unsigned int off,
		    unsigned int size, u32 val);

#endif /* _MSI_AFFINITY_X86_H */
