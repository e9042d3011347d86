// SPDX-License-Identifier: GPL-2.0
/*
 * The register half of the x86 hardware ops: config space for MSI, the
 * MSI-X table for MSI-X, and what the kernel already knows about masking
 * (its cached mask words, and whether the entry may be masked at all).
 */
#include <linux/io.h>
#include <linux/pci.h>
#include <msi_affinity/x86.h>

/**
 * msia_regs_init() - fill in the core's view of a managed interrupt
 * @m: the interrupt, with @m->irq, @m->pdev and @m->desc set
 * @index: the interrupt's place among its descriptor's vectors
 */
void msia_regs_init(struct msia_managed *m, unsigned int index)
{
	struct msi_desc *desc = m->desc;
	struct msia_irq *mi = &m->mi;

	mi->ops = &msia_x86_ops;
	mi->ctx = m;
	mi->is_msix = desc->pci.msi_attrib.is_msix;
	mi->is_64 = desc->pci.msi_attrib.is_64;
	/*
	 * can_mask already holds the platform's word: clear on Xen, whose
	 * hypervisor owns the real mask bits (pci_msi_ignore_mask in 6.1,
	 * the domain's MSI_FLAG_NO_MASK later), and for virtual entries.
	 */
	mi->can_mask = desc->pci.msi_attrib.can_mask;
	mi->no_mask = mi->is_msix && !mi->can_mask;
	mi->cap = m->pdev->msi_cap;
	if (mi->is_msix) {
		mi->mask_bit = PCI_MSIX_ENTRY_CTRL_MASKBIT;
		m->msix_entry = desc->pci.mask_base +
				desc->msi_index * PCI_MSIX_ENTRY_SIZE;
	} else {
		/* Multi-MSI vectors share one capability, one mask bit each. */
		mi->mask_bit = BIT(index);
	}
	msia_regs_sync(m);
}

/**
 * msia_regs_sync() - take the kernel's cached message and mask word
 * @m: the interrupt
 *
 * Context: @m's descriptor lock held (msia_set_affinity()), or @m not
 * yet hooked and its MSI descriptors locked (msia_regs_init()).
 *
 * The kernel writes the message itself on activation and on
 * pci_restore_state(), and the mask word on every mask and unmask, so
 * its caches are the authority when a migration starts.
 */
void msia_regs_sync(struct msia_managed *m)
{
	struct msi_desc *desc = m->desc;

	m->mi.cur.addr_lo = desc->msg.address_lo;
	m->mi.cur.addr_hi = desc->msg.address_hi;
	m->mi.cur.data = desc->msg.data;
	m->mi.mask_shadow = m->mi.is_msix ? desc->pci.msix_ctrl :
					     desc->pci.msi_mask;
}

/**
 * msia_reg_read() - the core's register read on x86
 * @ctx: the struct msia_managed
 * @space: config space or the MSI-X entry
 * @off: offset in @space
 * @size: 2 or 4 bytes
 *
 * Return: the value read.
 */
u32 msia_reg_read(void *ctx, enum msia_space space, unsigned int off,
		  unsigned int size)
{
	struct msia_managed *m = ctx;
	u16 w;
	u32 v;

	if (space == MSIA_SPACE_MSIX)
		return readl(m->msix_entry + off);
	if (size == 2) {
		pci_read_config_word(m->pdev, off, &w);
		return w;
	}
	pci_read_config_dword(m->pdev, off, &v);
	return v;
}

/**
 * msia_reg_write() - the core's register write on x86
 * @ctx: the struct msia_managed
 * @space: config space or the MSI-X entry
 * @off: offset in @space
 * @size: 2 or 4 bytes
 * @val: the value
 *
 * The core tracks each write in msia_irq.cur; msi_affinity.c copies
 * that back to the kernel's cached message once the update is done.
 */
void msia_reg_write(void *ctx, enum msia_space space, unsigned int off,
		    unsigned int size, u32 val)
{
	struct msia_managed *m = ctx;

	if (space == MSIA_SPACE_MSIX)
		writel(val, m->msix_entry + off);
	else if (size == 2)
		pci_write_config_word(m->pdev, off, val);
	else
		pci_write_config_dword(m->pdev, off, val);
}
