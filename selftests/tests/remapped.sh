#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# With interrupt remapping (QEMU intel-iommu, intremap=on) the IOMMU,
# not the MSI message, names CPU and vector, and the kernel updates the
# remapping table atomically: msi_affinity must leave every such
# interrupt alone and say why.
. /selftests/lib/lib.sh

n_ir=$(grep -c 'IR-PCI-MSI' /proc/interrupts)
[ "$n_ir" -gt 0 ] || { ksft_skip remapped "no remapped MSI (no IOMMU)"; exit $KSFT_SKIP; }
edu=$(edu_irq)
msia_loaded && rmmod msi_affinity
ksft_check "insmod with $n_ir remapped MSI interrupts" msia_insmod
ksft_check "none managed" [ "$(grep -c '^[0-9]' $MSIA/managed)" = 0 ]
ksft_check "edu irq $edu skipped: interrupt remapping" grep -q "^$edu interrupt remapping$" $MSIA/skipped
ksft_check "every remapped MSI listed as skipped" [ "$(grep -c 'interrupt remapping' $MSIA/skipped)" -ge "$n_ir" ]
ksft_check "load message says 0 managed, the rest left to the kernel as remapped" \
	sh -c 'dmesg | grep -qE "msi_affinity: managing 0 interrupts .* left to the kernel \([1-9][0-9]* remapped\)"'
ksft_check "load message says nothing is at risk" sh -c 'dmesg | grep -q "msi_affinity: no MSI without masking here: nothing is at risk"'
move_to "$edu" 2 edu_kick
echo 20 >$EDU/fire
ksft_check "edu unaffected: 20 delivered" [ "$(edu_stat lost)" = 0 ]
ksft_check "rmmod" rmmod msi_affinity
ksft_check "naming irqs=$edu is refused" sh -c "! finit /msia/msi_affinity.ko irqs=$edu 2>/dev/null"
ksft_finished
